// env_file with real processes: what the child sees (dotenv quoting, export, comments, optional files, environment
// winning), a broken file refused at its own file:line:col with nothing started, and update restarting only the
// programs whose resulting variables changed.
namespace Taskmaster.Tests.EndToEnd;

public class EnvFileEndToEndTests
{
    [Fact]
    public async Task Variables_ReachTheChild_EnvironmentWins_LaterFileWins_OptionalMissingFileIsFine()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:e]
            command = {fixtures}/report_env_and_limits.sh {dir}/e.txt A B C D E F
            startsecs = 0
            envFiles = base.env, -missing.env, more.env
            environment = A="from environment"
            """);
        File.WriteAllText(Path.Combine(daemon.Dir, "base.env"), """
            # a comment, then a blank line

            export A=from-file
            B='single $HOME # kept'
            C="double \"quoted\" \$HOME"
            D = bare value # a comment
            E=first
            """);
        File.WriteAllText(Path.Combine(daemon.Dir, "more.env"), "E=second\nF=\n");
        await daemon.StartAsync();
        await daemon.WaitForRunningAsync("e");
        var report = await ChildSetupKeysSupport.ReportAsync(daemon, "e.txt");

        Assert.Equal(["A=from environment", "B=single $HOME # kept", "C=double \"quoted\" $HOME", "D=bare value", "E=second", "F="],
            report[1..7]);
    }

    [Fact]
    public async Task BrokenFile_IsRefusedAtItsOwnLineAndColumn_MissingFileAtTheKey_NothingStarts()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:good]
            command = {fixtures}/report_env_and_limits.sh {dir}/good.txt
            startsecs = 0

            [program:e]
            command = {fixtures}/report_env_and_limits.sh {dir}/e.txt
            env_file = bad.env

            [program:f]
            command = {fixtures}/report_env_and_limits.sh {dir}/f.txt
            env_file = ok.env, absent.env
            """);
        File.WriteAllText(Path.Combine(daemon.Dir, "bad.env"), "OK=1\n  2BAD=x\nQ=\"never closed\n");
        File.WriteAllText(Path.Combine(daemon.Dir, "ok.env"), "OK=1\n");
        var stderr = await ChildSetupKeysSupport.StartIsRefusedAsync(daemon);

        var badEnv = Path.Combine(daemon.Dir, "bad.env");
        Assert.Contains($"{badEnv}:2:3: [program:e] env_file: expected a variable name", stderr);
        Assert.Contains("      2BAD=x\n      ^", stderr.Replace("\r", "")); // the line, then a caret under column 3
        var line = ChildSetupKeysSupport.LineOf(daemon.ConfigPath, "env_file = ok.env");
        Assert.Contains($"{daemon.ConfigPath}:{line}:20: [program:f] env_file: cannot read {daemon.Dir}/absent.env: no such file", stderr);
        Assert.False(File.Exists(Path.Combine(daemon.Dir, "good.txt")), "a program started from a refused file");
    }

    [Fact]
    public async Task Update_RestartsOnlyThePrograms_WhoseResultingVariablesChanged()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:changed]
            command = {fixtures}/report_env_and_limits.sh {dir}/changed.txt X
            startsecs = 0
            env_file = changed.env

            [program:overridden]
            command = {fixtures}/report_env_and_limits.sh {dir}/overridden.txt Y
            startsecs = 0
            env_file = overridden.env
            environment = Y=from-environment

            [program:same]
            command = {fixtures}/report_env_and_limits.sh {dir}/same.txt Z
            startsecs = 0
            env_file = same.env
            """);
        File.WriteAllText(Path.Combine(daemon.Dir, "changed.env"), "X=1\n");
        File.WriteAllText(Path.Combine(daemon.Dir, "overridden.env"), "Y=1\n");
        File.WriteAllText(Path.Combine(daemon.Dir, "same.env"), "Z=1\n");
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync("changed", "overridden", "same");

        File.WriteAllText(Path.Combine(daemon.Dir, "changed.env"), "X=2\n");
        File.WriteAllText(Path.Combine(daemon.Dir, "overridden.env"), "Y=2\n");
        File.WriteAllText(Path.Combine(daemon.Dir, "same.env"), "# reformatted, same value\nexport Z='1'\n");
        File.Delete(Path.Combine(daemon.Dir, "changed.txt"));
        var update = await daemon.CtlAsync("update");
        ReloadHarness.Expect(update, 0, "changed: stopped", "changed: updated process group");

        var after = await daemon.WaitForRunningAsync("changed", "overridden", "same");
        Assert.NotEqual(before["changed"].Pid, after["changed"].Pid);
        Assert.Equal(before["overridden"].Pid, after["overridden"].Pid);
        Assert.Equal(before["same"].Pid, after["same"].Pid);
        Assert.Equal("X=2", (await ChildSetupKeysSupport.ReportAsync(daemon, "changed.txt"))[1]);
    }
}
