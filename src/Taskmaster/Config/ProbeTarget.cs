using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Taskmaster.Config;

/// <summary>
/// What a readiness or liveness check asks (<c>readiness_check_script</c>, <c>liveness_check_script</c>): the Go port's
/// forms (<c>http://…</c>, <c>tcp://h:p</c>, a command) plus <c>notify</c> (systemd's <c>NOTIFY_SOCKET</c>) and
/// <c>log:REGEX</c> (a line of the program's output).
/// </summary>
public abstract record ProbeTarget
{
    /// <summary>The check as written (the <c>--check</c> line and the equality of two settings).</summary>
    public required string Raw { get; init; }

    public virtual bool Equals(ProbeTarget? other) => other is not null && other.GetType() == GetType() && Raw == other.Raw;
    public override int GetHashCode() => Raw.GetHashCode(StringComparison.Ordinal);

    /// <summary>A command run without a shell (through the spawner, as the program's user, in its directory and
    /// environment); exit 0 = success.</summary>
    public sealed record Exec(ImmutableArray<string> Argv) : ProbeTarget;

    /// <summary>A TCP connect that succeeds within the timeout.</summary>
    public sealed record Tcp(string Host, int Port) : ProbeTarget;

    /// <summary>An HTTP/1.1 GET whose status is in the check's status range.</summary>
    public sealed record Http(string Host, int Port, string Path) : ProbeTarget;

    /// <summary>A line of the program's stdout or stderr log matching the expression (since the spawn).</summary>
    public sealed record LogLine(Regex Pattern) : ProbeTarget;

    /// <summary>systemd's notify protocol: <c>READY=1</c> on the program's <c>NOTIFY_SOCKET</c> (readiness);
    /// <c>WATCHDOG=1</c> at least once per period (liveness).</summary>
    public sealed record Notify : ProbeTarget;
}
