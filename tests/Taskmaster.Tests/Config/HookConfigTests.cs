using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>The hook keys: split like <c>command</c>, a bad value is an error at its column, the timeout is positive.</summary>
public class HookConfigTests
{
    [Fact]
    public void Hooks_AreSplitLikeCommands_AndTheGoPortSpellingsAreOurs()
    {
        var c = Cfg.One("[program:a]\ncommand = /bin/true\npre_start_hook = /bin/sh -c 'echo \"pre\"'\npre_stop_hook = /bin/echo stop\npost_stop_hook = /bin/echo post\nhook_timeout = 1500ms\n");
        Assert.Equal(["/bin/sh", "-c", "echo \"pre\""], c.PreStartHook!.Argv.ToArray());
        Assert.Equal(["/bin/echo", "stop"], c.PreStopHook!.Argv.ToArray());
        Assert.Equal(["/bin/echo", "post"], c.PostStopHook!.Argv.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), c.HookTimeout);
    }

    [Fact]
    public void Defaults_NoHooks_ThirtySeconds()
    {
        var c = Cfg.One("[program:a]\ncommand = /bin/true\n");
        Assert.Null(c.PreStartHook);
        Assert.Null(c.PreStopHook);
        Assert.Null(c.PostStopHook);
        Assert.Equal(TimeSpan.FromSeconds(30), c.HookTimeout);
    }

    [Fact]
    public void UnterminatedQuote_IsAnErrorAtItsColumn()
    {
        var error = Cfg.FailsOnce("[program:a]\ncommand = /bin/true\npre_start_hook = /bin/echo 'oops\n");
        Assert.Equal(3, error.Location.Line);
        Assert.Equal("pre_start_hook", error.Key);
        Assert.Contains("quot", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("post_stop_hook =", "must not be empty")]
    [InlineData("hook_timeout = 0", "must be more than zero")]
    [InlineData("hook_timeout = soon", "soon")]
    public void BadValue_IsAnError(string line, string message)
    {
        var error = Cfg.FailsOnce($"[program:a]\ncommand = /bin/true\n{line}\n");
        Assert.Equal(new SourceLocation(Cfg.File, 3, error.Location.Column), error.Location);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ChangedHook_ReloadsInPlace()
    {
        Assert.All(HookKeys.All, k => Assert.Equal(OnReload.InPlace, k.Reload));
    }
}
