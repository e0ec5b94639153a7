using Taskmaster.Tests.Config;

namespace Taskmaster.Tests.Security;

/// <summary>
/// Half-configured credentials (issue 27 item 4): a username without a password served with an empty password, a
/// password without a username turned authentication off. Both are now an error at the key, in every section that
/// takes credentials; supervisord 4.2.5 refuses them in its server sections too ("Section [inet_http_server] contains
/// incomplete authentication: If a username or a password is specified, both the username and password must be
/// specified"), without a line number.
/// </summary>
public sealed class IncompleteCredentialsTests
{
    [Theory]
    [InlineData("inet_http_server", "port = 0.0.0.0:9001\n")]
    [InlineData("inet_http_server", "port = 127.0.0.1:9001\n")]
    [InlineData("unix_http_server", "file = /run/tm.sock\n")]
    [InlineData("supervisorctl", "serverurl = http://127.0.0.1:9001\n")]
    [InlineData("taskmasterctl", "serverurl = http://127.0.0.1:9001\n")]
    public void UsernameWithoutPassword_IsAnErrorAtTheUsername(string section, string other)
    {
        var e = Cfg.FailsOnce($"[{section}]\n{other}username = admin\n");

        Assert.Equal($"{Cfg.File}:3:12: [{section}] username: incomplete authentication: a username needs a password too (set both, or neither)",
            e.Headline);
    }

    [Theory]
    [InlineData("inet_http_server", "port = 127.0.0.1:9001\n")]
    [InlineData("unix_http_server", "file = /run/tm.sock\n")]
    [InlineData("supervisorctl", "serverurl = unix:///run/tm.sock\n")]
    public void PasswordWithoutUsername_IsAnErrorAtThePassword(string section, string other)
    {
        var e = Cfg.FailsOnce($"[{section}]\n{other}password = s3cret\n");

        Assert.Equal($"{Cfg.File}:3:12: [{section}] password: incomplete authentication: a password needs a username too (set both, or neither)",
            e.Headline);
    }

    [Fact]
    public void AnEmptyValue_CountsAsMissing()
    {
        var e = Cfg.FailsOnce("[inet_http_server]\nport = 9001\nusername =\npassword = s3cret\n");

        Assert.Equal("password", e.Key);
        Assert.Contains("incomplete authentication", e.Message);
    }

    [Fact]
    public void BothOrNeither_Load()
    {
        Assert.Equal("admin", Cfg.Load("[inet_http_server]\nport = 9001\nusername = admin\npassword = s3cret\n").InetHttpServer!.Username);
        Assert.Null(Cfg.Load("[inet_http_server]\nport = 127.0.0.1:9001\n").InetHttpServer!.Username);
    }
}
