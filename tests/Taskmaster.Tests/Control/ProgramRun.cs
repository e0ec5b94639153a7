using System.Diagnostics;

namespace Taskmaster.Tests.Control;

/// <summary>Runs one of the built programs (<c>dotnet X.dll args</c>) to completion and captures what it printed.</summary>
internal static class ProgramRun
{
    public static async Task<CtlResult> RunAsync(string dll, IReadOnlyList<string> args, string? stdin = null,
        string? workingDirectory = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Generous: on a loaded two-core machine a JIT client plus a start that waits for readiness can take a minute.
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(cts.Token);
            return new CtlResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
