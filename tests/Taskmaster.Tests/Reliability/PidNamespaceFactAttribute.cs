using System.Diagnostics;

namespace Taskmaster.Tests.Reliability;

/// <summary>
/// A fact that needs `unshare --pid --fork --mount-proc` (root, or user namespaces): skipped, with the reason,
/// where the machine does not allow it, instead of failing for a reason that is not the product's.
/// </summary>
public sealed class PidNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public PidNamespaceFactAttribute()
    {
        if (Unavailable.Value is { } reason)
            Skip = reason;
    }

    private static string? Probe()
    {
        try
        {
            var psi = new ProcessStartInfo("unshare") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["--pid", "--fork", "--mount-proc", "true"])
                psi.ArgumentList.Add(arg);
            using var probe = Process.Start(psi)!;
            var error = probe.StandardError.ReadToEnd();
            if (!probe.WaitForExit(30_000))
            {
                probe.Kill();
                return "unshare --pid --fork --mount-proc did not finish";
            }
            return probe.ExitCode == 0 ? null : $"unshare --pid --fork --mount-proc is not permitted here: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"unshare is not available: {e.Message}";
        }
    }
}
