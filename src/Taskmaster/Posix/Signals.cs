using System.Collections.Frozen;

namespace Taskmaster.Posix;

/// <summary>Linux signal numbers and their names, both ways (x86-64 / aarch64 numbering); kill(2) and the
/// dispositions this process gives signals (Signals.Linux.cs).</summary>
public static partial class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19;

    private static readonly FrozenDictionary<string, int> ByName = new Dictionary<string, int>
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6,
        ["BUS"] = 7, ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12,
        ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18,
        ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24,
        ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29, ["POLL"] = 29,
        ["PWR"] = 30, ["SYS"] = 31,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>Highest valid signal number (SIGRTMAX on Linux).</summary>
    public const int Max = 64;

    /// <summary>"SIGTERM" for 15; "SIGRTMIN+2" style for real-time signals; "signal N" otherwise.</summary>
    public static string Name(int signal) => signal switch
    {
        > 0 and < 32 => Names[signal],
        >= 34 and <= Max => signal == 34 ? "SIGRTMIN" : $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };

    /// <summary>Parses <c>TERM</c>, <c>SIGTERM</c>, <c>sigterm</c> or <c>15</c>.</summary>
    public static bool TryParse(string text, out int signal)
    {
        text = text.Trim();
        if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out signal))
            return signal is > 0 and <= Max;
        var bare = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        return ByName.TryGetValue(bare, out signal);
    }
}
