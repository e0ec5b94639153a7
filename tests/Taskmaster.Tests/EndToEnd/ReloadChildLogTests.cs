// Log rotation settings (maxbytes, backups) change in place on reload: the child keeps its pid and its pipe,
// and the file it writes through starts rotating by the new limits. Checked at two levels: ChildLogs alone with
// a real pipe, and a real daemon with a child that writes steadily.
using Taskmaster.Logging;
using Taskmaster.Tests.Logging;

namespace Taskmaster.Tests.EndToEnd;

public class ReloadChildLogTests
{
    [Fact]
    public async Task Retarget_NewMaxBytesAndBackups_ApplyToTheRunningPump()
    {
        var dir = LogTestSupport.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "out.log");
            var unlimited = LogTestSupport.Process("p", LogTestSupport.File(path, maxBytes: 0, backups: 0));
            using var logs = new ChildLogs();
            using var pipe = new TestPipe();
            logs.Attach(unlimited, pipe.ReadEnd, null);
            var line = "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\n"u8.ToArray();
            for (var i = 0; i < 30; i++) pipe.Writer.Write(line); // ~3000 bytes: no rotation with maxbytes 0
            await LogTestSupport.WaitUntil(() => File.Exists(path) && new FileInfo(path).Length == 30 * line.Length, "30 lines in the log");
            Assert.False(File.Exists(path + ".1"));

            logs.Retarget(unlimited with { Stdout = LogTestSupport.File(path, maxBytes: 1000, backups: 2) });
            for (var i = 0; i < 30; i++) pipe.Writer.Write(line);
            await LogTestSupport.WaitUntil(() => File.Exists(path + ".2"), "a second backup");
            pipe.Writer.Dispose();
            await logs.WhenAllDrained();

            Assert.False(File.Exists(path + ".3"));
            Assert.True(new FileInfo(path).Length <= 1000, $"current file is {new FileInfo(path).Length} bytes");
            Assert.True(new FileInfo(path + ".1").Length <= 1000);
        }
        finally
        {
            LogTestSupport.DeleteDir(dir);
        }
    }

    [Fact]
    public async Task Update_LogMaxBytesAndBackupsChanged_KeepsPid_AndTheRunningChildsFileRotatesByTheNewLimits()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:tick]
            command = {fixtures}/tick_every_50ms.sh {dir}/tick
            startsecs = 0
            stdout_logfile = {dir}/tick.log
            stdout_logfile_maxbytes = 0
            stdout_logfile_backups = 0
            """);
        await daemon.StartAsync();
        var pid = (await daemon.WaitForRunningAsync("tick"))["tick"].Pid;
        var log = Path.Combine(daemon.Dir, "tick.log");
        await ReloadWithoutDisturbanceTests.WaitForFileLineAsync(log, "tick 3 ", daemon);

        daemon.EditConfig("stdout_logfile_maxbytes = 0", "stdout_logfile_maxbytes = 1KB");
        daemon.EditConfig("stdout_logfile_backups = 0", "stdout_logfile_backups = 2");
        var update = await daemon.CtlAsync("update");
        ReloadHarness.Expect(update, 0, "tick: updated process group");
        await daemon.WaitForOutputAsync("reload: tick stdout_logfile_maxbytes, stdout_logfile_backups changed in place");

        // ~2 KB a second: two rotations within a few seconds, and never a third backup.
        await LogTestSupport.WaitUntil(() => File.Exists(log + ".2"), () => "tick.log.2; files: " + string.Join(", ", Directory.GetFiles(daemon.Dir)));
        Assert.Equal(pid, (await daemon.ProcessesAsync())["tick"].Pid);
        Assert.False(File.Exists(log + ".3"));
        Assert.True(new FileInfo(log + ".1").Length <= 1024 + 200, $"tick.log.1 is {new FileInfo(log + ".1").Length} bytes");
    }
}
