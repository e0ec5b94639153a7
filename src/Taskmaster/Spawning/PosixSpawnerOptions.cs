namespace Taskmaster.Spawning;

/// <summary>Tuning and environment of <see cref="PosixSpawner"/>; the defaults suit taskmasterd.</summary>
public sealed record PosixSpawnerOptions
{
    /// <summary>Requested capacity of each output pipe (F_SETPIPE_SZ), best effort; 0 keeps the kernel's 64 KiB.
    /// A large pipe lets a chatty child keep running while the daemon is briefly busy, instead of blocking in write.</summary>
    public int PipeSize { get; init; } = 1 << 20;

    /// <summary>util-linux setpriv, used as an exec prefix to run a child as another user.</summary>
    public string SetprivPath { get; init; } = "/usr/bin/setpriv";

    /// <summary>util-linux prlimit, used as an exec prefix to give a child its resource limits (<c>rlimit_*</c>).</summary>
    public string PrlimitPath { get; init; } = "/usr/bin/prlimit";

    /// <summary>umask for requests without one. Null: the daemon's umask when the spawner was created.</summary>
    public int? DefaultUmask { get; init; }

    /// <summary>Spawn from a descriptor table of the spawner's own when the kernel allows it (see
    /// <see cref="SpawnerDescriptorTable"/>); false keeps every spawn on the process's table.</summary>
    public bool PrivateDescriptorTable { get; init; } = true;

    /// <summary>Test hook: pretend the daemon runs with this effective uid.</summary>
    internal uint? EffectiveUidOverride { get; init; }
}
