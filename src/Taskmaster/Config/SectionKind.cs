namespace Taskmaster.Config;

/// <summary>The kinds of section the loader understands; each has its own set of known keys.</summary>
public enum SectionKind
{
    /// <summary><c>[supervisord]</c> / <c>[taskmasterd]</c>.</summary>
    Daemon,
    /// <summary><c>[program:x]</c> or a bare short-dialect <c>[x]</c>.</summary>
    Program,
    /// <summary><c>[group:x]</c>.</summary>
    Group,
    /// <summary><c>[include]</c>.</summary>
    Include,
    /// <summary><c>[unix_http_server]</c>.</summary>
    UnixHttpServer,
    /// <summary><c>[inet_http_server]</c>.</summary>
    InetHttpServer,
    /// <summary><c>[supervisorctl]</c> / <c>[taskmasterctl]</c>.</summary>
    Ctl,
}
