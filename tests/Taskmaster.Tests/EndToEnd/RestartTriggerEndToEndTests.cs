namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// Restart triggers with real programs: a program that holds more memory than its max_memory_restart, and programs
/// whose executable or watched files change. Each run appends its pid to a trace file; the tests wait for runs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RestartTriggerEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static string[] Trace(DaemonUnderTest daemon, string name = "trace") =>
        DaemonUnderTest.ReadOrEmpty(Path.Combine(daemon.Dir, name)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task MaxMemoryRestart_RestartsAProgramAboveItsLimit_AndLeavesOneBelowAlone()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:hog]
            command = python3 -c "import os, time; open('{dir}/trace', 'a').write(str(os.getpid()) + '\n'); x = bytearray(64 << 20); time.sleep(3600)"
            startsecs = 0
            max_memory_restart = 32M

            [program:lean]
            command = sh -c 'echo $$ >> {dir}/lean; exec sleep 3600'
            startsecs = 0
            max_memory_restart = 1G
            """);
        await daemon.StartAsync();
        await daemon.WaitUntilAsync(() => Trace(daemon).Length >= 2, "a restart above the memory limit", Long);
        Assert.Contains("memory: hog uses ", daemon.Output);
        Assert.Contains("above max_memory_restart 33554432; restarting it", daemon.Output);
        Assert.DoesNotContain("memory: lean", daemon.Output);
        Assert.Single(Trace(daemon, "lean"));
    }

    [Fact]
    public async Task ChangedBinary_RestartsTheProgram_ChangedWatchedFile_SendsItsSignal_AfterTheDebounce()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:app]
            command = {dir}/bin/app.sh
            startsecs = 0
            restart_when_binary_changed = true

            [program:proxy]
            command = sh -c 'echo $$ >> {dir}/proxy; trap "echo hup >> {dir}/proxy" HUP; while :; do sleep 0.1; done'
            startsecs = 0
            watch = {dir}/conf
            restart_file_pattern = *.conf
            ignore_watch = *.swp
            watch_delay = 200ms
            restart_signal_when_file_changed = HUP
            """);
        Directory.CreateDirectory(Path.Combine(daemon.Dir, "bin"));
        Directory.CreateDirectory(Path.Combine(daemon.Dir, "conf", "sites"));
        var app = Path.Combine(daemon.Dir, "bin", "app.sh");
        File.WriteAllText(app, $"#!/bin/sh\necho $$ >> {daemon.Dir}/trace\nexec sleep 3600\n");
        File.SetUnixFileMode(app, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await daemon.StartAsync();
        await daemon.WaitUntilAsync(() => Trace(daemon).Length == 1 && Trace(daemon, "proxy").Length == 1, "both programs up", Long);
        await daemon.WaitForOutputAsync("success: app entered RUNNING state", Long);

        // A deploy: a new file renamed over the executable.
        var next = app + ".new";
        File.WriteAllText(next, File.ReadAllText(app));
        File.SetUnixFileMode(next, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Move(next, app, overwrite: true);
        await daemon.WaitUntilAsync(() => Trace(daemon).Length >= 2, "the restart after the new executable", Long);
        Assert.Contains($"changed: app: the executable {app} changed; restarting it", daemon.Output);

        // An ignored name and a name outside the pattern change nothing; a .conf in a subdirectory sends HUP.
        File.WriteAllText(Path.Combine(daemon.Dir, "conf", "site.conf.swp"), "x");
        File.WriteAllText(Path.Combine(daemon.Dir, "conf", "notes.txt"), "x");
        File.WriteAllText(Path.Combine(daemon.Dir, "conf", "sites", "a.conf"), "server {}");
        await daemon.WaitUntilAsync(() => Trace(daemon, "proxy").Contains("hup"), "the HUP", Long);
        Assert.Single(Trace(daemon, "proxy"), l => l != "hup"); // signalled, never restarted
        Assert.Contains("changed: proxy: watched file", daemon.Output);
        Assert.DoesNotContain("site.conf.swp", daemon.Output);
        Assert.DoesNotContain("notes.txt", daemon.Output);
    }

    [Fact]
    public async Task BadTriggerValues_AreRefusedAtStart_WithTheirLocation_AndNothingRuns()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:ok]
            command = sh -c 'echo ran >> {dir}/trace; exec sleep 3600'

            [program:bad]
            command = /bin/true
            max_memory_restart = lots
            restart_signal_when_file_changed = SIGNOPE
            restart_file_pattern = conf/*.conf
            """);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(daemon.ConfigPath)}:\d+:\d+: \[program:bad\] max_memory_restart:", run.Stderr);
        Assert.Contains("[program:bad] max_memory_restart: 'LOTS' is not a memory size", run.Stderr);
        Assert.Contains("[program:bad] restart_signal_when_file_changed:", run.Stderr);
        Assert.Contains("[program:bad] restart_file_pattern: globs match one file or directory name", run.Stderr);
        Assert.Empty(Trace(daemon));
    }
}
