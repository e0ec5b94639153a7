// Probes for what a test needs from the machine (Requirement), each run at most once per test run.
// A missing prerequisite becomes a skip reason that names it first ("requires tmux: ..."), so the
// result files say what was missing and .ci/run can tell a skip it allows from one it must not.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Tests.TestSupport;

/// <summary>Which <see cref="Requirement"/>s this machine meets, and why not when it does not.</summary>
internal static class Prerequisites
{
    private static readonly Dictionary<Requirement, Lazy<string?>> Probes =
        Enum.GetValues<Requirement>().ToDictionary(r => r, r => new Lazy<string?>(() => Probe(r)));

    /// <summary>A skip reason naming each of <paramref name="requirements"/> not met, or null when all are.</summary>
    public static string? Unmet(IEnumerable<Requirement> requirements)
    {
        var reasons = requirements.Select(r => Probes[r].Value is { } why ? $"requires {Name(r)}: {why}" : null).OfType<string>().ToList();
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>The name a skip reason starts with, as .ci/run's allow-list spells it.</summary>
    public static string Name(Requirement requirement) => requirement switch
    {
        Requirement.Root => "root",
        Requirement.Tmux => "tmux",
        Requirement.LibEdit => "libedit",
        Requirement.Python3 => "python3",
        Requirement.Setpriv => "setpriv",
        Requirement.PidNamespace => "pid namespace",
        Requirement.Supervisor => "supervisor",
        Requirement.Promtool => "promtool",
        Requirement.Chromium => "chromium",
        Requirement.NoTaskmasterConfInEtc => "no /etc/taskmaster.conf",
        _ => throw new ArgumentOutOfRangeException(nameof(requirement)),
    };

    private static string? Probe(Requirement requirement) => requirement switch
    {
        Requirement.Root => Identity.GetEuid() == 0 ? null : $"running as uid {Identity.GetEuid()}",
        Requirement.Tmux => OnPath("tmux") ? null : "tmux is not on PATH (tests/run installs it as root)",
        Requirement.LibEdit => CanLoad("libedit.so.2") ? null : "libedit.so.2 cannot be loaded (tests/run installs libedit2 as root)",
        // The path the tests run: a PATH shim (pyenv's, under /root) is not one that another user may execute.
        Requirement.Python3 => File.Exists("/usr/bin/python3") ? null : "/usr/bin/python3 does not exist (tests/run installs python3 as root)",
        Requirement.Setpriv => OnPath("setpriv") ? null : "setpriv is not on PATH (tests/run installs util-linux as root)",
        Requirement.PidNamespace => PidNamespaceUnavailable(),
        Requirement.Supervisor => File.Exists("/usr/bin/supervisord") && File.Exists("/usr/bin/supervisorctl")
            && Directory.Exists("/usr/lib/python3/dist-packages/supervisor")
            ? null : "/usr/bin/supervisord or /usr/bin/supervisorctl is missing (tests/run installs supervisor as root)",
        Requirement.Promtool => OnPath("promtool") ? null : "promtool is not on PATH (tests/run installs prometheus as root)",
        Requirement.Chromium => File.Exists(DashboardBrowser.ChromiumPath) ? null : $"{DashboardBrowser.ChromiumPath} does not exist (tests/run installs chromium as root)",
        Requirement.NoTaskmasterConfInEtc => File.Exists("/etc/taskmaster.conf") ? "this machine has one, and the daemon finds it first" : null,
        _ => throw new ArgumentOutOfRangeException(nameof(requirement)),
    };

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }

    private static string? PidNamespaceUnavailable()
    {
        try
        {
            var psi = new ProcessStartInfo("unshare") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["--pid", "--fork", "--mount-proc", "true"])
                psi.ArgumentList.Add(arg);
            using var probe = Process.Start(psi)!;
            var error = probe.StandardError.ReadToEndAsync();
            if (!probe.WaitForExit(30_000))
            {
                probe.Kill();
                return "unshare --pid --fork --mount-proc did not finish within 30 s";
            }
            return probe.ExitCode == 0 ? null : $"unshare --pid --fork --mount-proc is not permitted here: {error.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"unshare is not available: {e.Message}";
        }
    }
}
