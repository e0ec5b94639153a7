using System.Diagnostics;
using System.Text;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// A taskmasterctl left running (<c>tail -f</c>, <c>maintail -f</c>, <c>fg</c>): its stdout is collected as it comes
/// so a test can wait for a line, then interrupt it with a signal and wait for its exit. Dispose kills it.
/// </summary>
internal sealed class CtlRunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();

    private CtlRunningProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_stdout) return _stdout.ToString(); } }

    public int Pid => _process.Id;

    /// <summary>Starts <c>taskmasterctl -c CONFIG args</c>; stdin stays open (a pipe) unless <paramref name="closeStdin"/>.</summary>
    public static CtlRunningProcess Start(string configPath, IReadOnlyList<string> args, bool closeStdin = false)
    {
        // Through `env --default-signal`: a test runner started from a script may have inherited SIGINT as ignored,
        // and a program never receives an ignored signal; these tests send it to mean Ctrl-C.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--default-signal=INT", "dotnet", ControlHost.CtlDll, "-c", configPath, .. args]) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["HOME"] = Path.GetTempPath();
        var process = Process.Start(psi)!;
        if (closeStdin) process.StandardInput.Close();
        return new CtlRunningProcess(process);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        // Generous: a JIT client starting on a loaded two-core machine can take tens of seconds to say anything.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"taskmasterctl never printed '{text}':\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Types a line on its stdin (fg forwards it to the process).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    public void Signal(int signal) => ProcFs.Kill(_process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
