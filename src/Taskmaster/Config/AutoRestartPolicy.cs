namespace Taskmaster.Config;

/// <summary>supervisord's <c>autorestart</c>: when an instance that exited from RUNNING is spawned again.</summary>
public enum AutoRestartPolicy
{
    /// <summary><c>false</c>: never.</summary>
    Never,
    /// <summary><c>unexpected</c>: only when the exit code is not in <c>exitcodes</c> (or a signal killed it).</summary>
    Unexpected,
    /// <summary><c>true</c>: always.</summary>
    Always,
}
