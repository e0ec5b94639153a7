namespace Taskmaster.Config;

/// <summary>The <c>[unix_http_server]</c> section: the control socket.</summary>
public sealed record UnixHttpServerSettings
{
    public string File { get; init; } = "/tmp/taskmaster.sock";
    /// <summary>Socket file mode (octal in the file; default 0700).</summary>
    public int Chmod { get; init; } = 0x1C0; // 0700
    /// <summary><c>user</c> or <c>user:group</c>, or null.</summary>
    public string? Chown { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary><c>max_connections</c>: connections served at once on this listener; more are closed at accept.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>The default of <c>max_connections</c>, on either listener.</summary>
    public const int DefaultMaxConnections = 256;
}
