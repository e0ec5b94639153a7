// Extra ways to run taskmasterd for the daemon's own tests: under another command line (a shell that ignores
// SIGCHLD, a different working directory), as a one-shot command whose exit and output are awaited, and
// waits on files. Kept apart from DaemonUnderTest.cs so the harness merges cleanly.
using System.Diagnostics;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

internal sealed partial class DaemonUnderTest
{
    /// <summary>
    /// Starts <paramref name="fileName"/> <paramref name="args"/> as "the daemon" (it must end up serving this
    /// directory's socket), in <paramref name="workingDirectory"/> when given, and waits until it serves (unless
    /// <paramref name="waitUntilServing"/> is false: a daemon that may legitimately be gone before a client could look).
    /// </summary>
    public async Task StartWithAsync(string fileName, IEnumerable<string> args, string? workingDirectory = null, bool waitUntilServing = true)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
        if (waitUntilServing) await WaitUntilServingAsync(_process);
    }

    /// <summary>
    /// Runs `dotnet taskmasterd.dll ARGS` to completion (no -n, no -c added) and returns its exit code and output.
    /// A detached copy it leaves behind is the test's to stop (see <see cref="StopByPidfileAsync"/>).
    /// </summary>
    public static Task<CtlResult> RunDaemonCommandAsync(IReadOnlyList<string> args, string? workingDirectory = null,
        TimeSpan? timeout = null) =>
        ProgramRun.RunAsync(DaemonDll, args, workingDirectory: workingDirectory, timeout: timeout);

    /// <summary>The pid written in <paramref name="pidfile"/> (default: this daemon's), once the file holds one.</summary>
    public async Task<int> WaitForPidfileAsync(string? pidfile = null, TimeSpan? timeout = null)
    {
        var path = pidfile ?? PidfilePath;
        int pid = 0;
        await WaitUntilAsync(() => File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out pid) && pid > 0,
            $"a pid in {path}", timeout);
        return pid;
    }

    /// <summary>TERMs the daemon named by the pid file (a detached one, not our child) and waits until it is gone.</summary>
    public async Task StopByPidfileAsync(int pid, TimeSpan? timeout = null)
    {
        ProcFs.Kill(pid, 15);
        await WaitUntilAsync(() => !ProcFs.IsAlive(pid), $"daemon {pid} to exit", timeout);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> and the output.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}; daemon output:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>A file's text, or "" while it does not exist (a log being reopened or rotated).</summary>
    public static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (FileNotFoundException) { return ""; }
    }
}
