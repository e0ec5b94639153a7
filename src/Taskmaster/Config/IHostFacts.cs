namespace Taskmaster.Config;

/// <summary>
/// What a configuration is checked against on the machine that is to run it (<see cref="HostChecks"/>): the daemon
/// asks at start, on every reread and for <c>--check</c>, so what supervisord refuses to start with is an error before
/// anything runs. The loader stays free of the machine without one (tests, the client).
/// </summary>
public interface IHostFacts
{
    /// <summary>Whether <paramref name="path"/> names an existing directory.</summary>
    bool DirectoryExists(string path);

    /// <summary>Whether the user database knows <paramref name="name"/>.</summary>
    bool UserExists(string name);

    /// <summary>The most descriptors the daemon could raise its limit to, or null when unlimited.</summary>
    ulong? OpenFilesCeiling { get; }

    /// <summary>The highest hard limit a child may be given for the <c>RLIMIT_*</c> <paramref name="resource"/>: the
    /// daemon's own hard limit when it is not root (only root may raise one), null when there is no ceiling to
    /// check. The default knows no ceiling.</summary>
    ulong? ResourceCeiling(int resource) => null;
}
