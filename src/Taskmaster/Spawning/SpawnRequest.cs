using System.Collections.Immutable;

namespace Taskmaster.Spawning;

/// <summary>Everything needed to start one child, already resolved from the configuration.</summary>
/// <param name="Argv">Argument vector; <c>Argv[0]</c> without a slash is looked up on the PATH of <paramref name="Environment"/>.</param>
/// <param name="Environment">The child's complete environment.</param>
/// <param name="WorkingDirectory">chdir target, or null to inherit.</param>
/// <param name="Umask">umask for the child, or null to inherit the daemon's.</param>
/// <param name="User">User to switch to (daemon must be root), or null.</param>
/// <param name="Stdout">What the child's fd 1 is.</param>
/// <param name="Stderr">What the child's fd 2 is.</param>
/// <param name="StdinPipe">True (supervised programs): fd 0 is a pipe whose write end comes back in the result.
/// False (the detached daemon copy): fd 0 is /dev/null.</param>
/// <param name="Limits">Resource limits the child gets before its command runs (<c>rlimit_*</c>); null or empty: the daemon's.</param>
public sealed record SpawnRequest(
    ImmutableArray<string> Argv,
    ImmutableArray<KeyValuePair<string, string>> Environment,
    string? WorkingDirectory,
    int? Umask,
    string? User,
    OutputRouting Stdout,
    OutputRouting Stderr,
    bool StdinPipe = true,
    IReadOnlyList<Taskmaster.Config.ResourceLimit>? Limits = null);

/// <summary>Where a child's output descriptor points.</summary>
public enum OutputRouting
{
    /// <summary>A fresh pipe whose read end is handed back to the daemon.</summary>
    Pipe,
    /// <summary>/dev/null.</summary>
    Discard,
    /// <summary>Only for stderr: the same pipe as stdout (<c>redirect_stderr</c>).</summary>
    SameAsStdout,
}
