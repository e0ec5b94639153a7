using System.Runtime.InteropServices;

namespace Taskmaster.Spawning;

/// <summary>Process-wide signal settings the reaper depends on.</summary>
public static class ChildSignals
{
    /// <summary>
    /// If SIGCHLD is ignored (a parent may hand us SIG_IGN), sets it back to SIG_DFL: with SIG_IGN the kernel
    /// discards every exit status and waitpid only ever reports ECHILD. Any installed handler (the .NET runtime
    /// installs one once Console or PosixSignalRegistration is used) is left alone. Call it first thing in Main,
    /// before that happens: a runtime that saw SIG_IGN reaps all children itself. Returns true if it changed anything.
    /// </summary>
    public static unsafe bool ResetSigchldToDefault()
    {
        // struct sigaction starts with the handler pointer on x86-64 and aarch64 glibc; the whole struct is
        // well under 256 bytes. A zeroed struct is { SIG_DFL, empty mask, no flags }.
        const nint SIG_IGN = 1;
        var current = stackalloc byte[256];
        new Span<byte>(current, 256).Clear();
        if (LibC.Sigaction(LibC.SIGCHLD, null, current) != 0)
            throw new IOException($"sigaction: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        if (*(nint*)current != SIG_IGN)
            return false;
        var dfl = stackalloc byte[256];
        new Span<byte>(dfl, 256).Clear();
        if (LibC.Sigaction(LibC.SIGCHLD, dfl, null) != 0)
            throw new IOException($"sigaction: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return true;
    }
}
