namespace Taskmaster.Tests.TestSupport;

/// <summary>
/// Something a test needs from the machine that the test itself cannot provide. Each has a probe in
/// <see cref="Prerequisites"/>, and each that a package provides is installed by <c>tests/run</c>: on a machine
/// where that script ran as root, a test skipped for one of these is a fault of the script, and CI fails on it.
/// </summary>
public enum Requirement
{
    /// <summary>Running as root (uid 0): switching to another user.</summary>
    Root,

    /// <summary><c>tmux</c> on PATH: a real terminal for the interactive shell (Debian: tmux).</summary>
    Tmux,

    /// <summary><c>libedit.so.2</c> loadable: the shell's line editor, completion and history (Debian: libedit2).</summary>
    LibEdit,

    /// <summary><c>/usr/bin/python3</c>: a second, independent socket client that another user can run (Debian: python3).</summary>
    Python3,

    /// <summary><c>setpriv</c> on PATH: runs a client as another user (Debian: util-linux).</summary>
    Setpriv,

    /// <summary><c>unshare --pid --fork --mount-proc</c> works: a container's PID 1 (root, or user namespaces).</summary>
    PidNamespace,

    /// <summary>
    /// supervisor 4.2.5 (<c>/usr/bin/supervisord</c>, <c>/usr/bin/supervisorctl</c>, its Python module for
    /// <c>/usr/bin/python3</c>): the reference the conformance tests compare with (Debian: supervisor).
    /// </summary>
    Supervisor,

    /// <summary><c>promtool</c> on PATH: Prometheus's own parser checks what <c>/metrics</c> serves (Debian: prometheus).</summary>
    Promtool,

    /// <summary><c>/usr/bin/chromium</c>: the real browser the dashboard tests drive through Playwright (Debian: chromium).</summary>
    Chromium,

    /// <summary>
    /// No <c>/etc/taskmaster.conf</c>: a test of the real daemon's search for a file after that one. The search order
    /// itself is tested under a temporary root (ConfigLocatorTests); this is only the daemon's use of it.
    /// </summary>
    NoTaskmasterConfInEtc,
}
