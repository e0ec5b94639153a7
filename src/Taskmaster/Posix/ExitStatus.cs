namespace Taskmaster.Posix;

/// <summary>
/// A wait status decoded once: either an exit code or the signal that killed the process.
/// Rendered the way supervisord words it ("exit status 1", "terminated by SIGKILL").
/// </summary>
public readonly record struct ExitStatus(int? Code, int? Signal, bool CoreDumped)
{
    public static ExitStatus Exited(int code) => new(code, null, false);
    public static ExitStatus Killed(int signal, bool coreDumped = false) => new(null, signal, coreDumped);

    /// <summary>Decodes a raw <c>waitpid</c> status word.</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        var termSig = status & 0x7f;
        return termSig == 0
            ? Exited((status >> 8) & 0xff)
            : Killed(termSig, (status & 0x80) != 0);
    }

    public override string ToString() => Signal is { } sig
        ? $"terminated by {Signals.Name(sig)}{(CoreDumped ? " (core dumped)" : "")}"
        : $"exit status {Code}";
}
