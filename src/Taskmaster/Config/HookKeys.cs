using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// The hook keys (issue #20, DESIGN §7): commands run around a program's life, as the Go port's <c>pre_start_hook</c>
/// and <c>pre_stop_hook</c> and systemd's <c>ExecStartPre=</c> / <c>ExecStopPost=</c>. Each is split like
/// <c>command</c> (never a shell) and run through the spawner as the program's user, in its directory and environment.
/// Every key changes in place on a reload: the next hook run uses the new text, the child is not touched.
/// </summary>
internal static class HookKeys
{
    public static readonly ProgramKey<CommandLine?> PreStartHook = new()
    {
        Name = "pre_start_hook", Default = KeyDefault.Unset("none"), Example = "/bin/true pre",
        Parse = Command, Format = v => v!.Raw,
        Get = c => c.PreStartHook, With = (c, v) => c with { PreStartHook = v }, Reload = OnReload.InPlace,
        Meaning = "Command run before each spawn (retries included); the spawn follows its exit 0. Any other end (an exit code, a signal, `hook_timeout`) is a failed start: BACKOFF, then FATAL after `startretries`, as a spawn error.",
    };

    public static readonly ProgramKey<CommandLine?> PreStopHook = new()
    {
        Name = "pre_stop_hook", Default = KeyDefault.Unset("none"), Example = "/bin/true stop",
        Parse = Command, Format = v => v!.Raw,
        Get = c => c.PreStopHook, With = (c, v) => c with { PreStopHook = v }, Reload = OnReload.InPlace,
        Meaning = "Command run when a stop of a live child begins; the stop signal follows its end (or `hook_timeout`), whatever its exit status.",
    };

    public static readonly ProgramKey<CommandLine?> PostStopHook = new()
    {
        Name = "post_stop_hook", Default = KeyDefault.Unset("none"), Example = "/bin/true post",
        Parse = Command, Format = v => v!.Raw,
        Get = c => c.PostStopHook, With = (c, v) => c with { PostStopHook = v }, Reload = OnReload.InPlace,
        Meaning = "Command run after each child's end (a stop, an exit, a crash while starting); the next spawn waits for it. Its failure is logged only.",
    };

    public static readonly ProgramKey<TimeSpan> HookTimeout = new()
    {
        Name = "hook_timeout", Default = "30", Example = "5",
        Parse = ValueParsers.PositiveSeconds, Format = v => v.Milliseconds == 0 ? $"{(long)v.TotalSeconds}s" : $"{(long)v.TotalMilliseconds}ms",
        Get = c => c.HookTimeout, With = (c, v) => c with { HookTimeout = v }, Reload = OnReload.InPlace,
        Meaning = "Time a hook may run (seconds, or `500ms`); then its process group gets SIGKILL and the hook counts as failed. Hook output goes to the program's stdout log, and a failure's last line to the activity log.",
    };

    /// <summary>The block of the key table, in its order.</summary>
    public static ImmutableArray<ProgramKey> All { get; } = [PreStartHook, PreStopHook, PostStopHook, HookTimeout];

    private static bool Command(string text, out CommandLine? value, out ValueError error)
    {
        value = null;
        error = default;
        if (text.Trim().Length == 0)
        {
            error = new ValueError("must not be empty (a command, split as `command` is)");
            return false;
        }
        if (!CommandLineSplitter.TrySplit(text, out var command, out var message, out var offset))
        {
            error = new ValueError(message, offset);
            return false;
        }
        value = command;
        return true;
    }
}
