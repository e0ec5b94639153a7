// Sending signals and changing how this process receives them. struct sigaction starts with the handler pointer on
// x86-64 and aarch64 glibc and is well under 256 bytes, so it is handled as a zeroed buffer whose first word is
// read: a zeroed struct is { SIG_DFL, empty mask, no flags }.
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

public static unsafe partial class Signals
{
    private const string Lib = "libc";

    private const nint SIG_IGN = 1;
    private const int SigactionBytes = 256;

    public const int SIG_BLOCK = 0;

    /// <summary>sigset_t as glibc sees it (1024 bits).</summary>
    public const int SigsetBytes = 128;

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    private static partial int Sigaction(int signal, void* action, void* oldAction);

    [LibraryImport(Lib, EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigmask(int how, void* set, void* oldSet);

    /// <summary>
    /// Sets <paramref name="signal"/> back to its default disposition if it was inherited as ignored; any installed
    /// handler is left alone. Returns true if it changed anything. Call it first thing in Main, before the runtime
    /// installs its own handlers: the runtime never installs one over an ignored signal. Why it matters: with
    /// SIGCHLD ignored the kernel discards every exit status (waitpid only reports ECHILD) and a runtime that saw
    /// SIG_IGN reaps all children itself; nohup ignores HUP and a script's background job ignores INT and QUIT, and
    /// supervisord still reloads and stops on them.
    /// </summary>
    public static bool ResetIfIgnored(int signal)
    {
        var current = stackalloc byte[SigactionBytes];
        new Span<byte>(current, SigactionBytes).Clear();
        if (Sigaction(signal, null, current) != 0)
            throw new IOException($"sigaction: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        if (*(nint*)current != SIG_IGN)
            return false;
        var defaults = stackalloc byte[SigactionBytes];
        new Span<byte>(defaults, SigactionBytes).Clear();
        if (Sigaction(signal, defaults, null) != 0)
            throw new IOException($"sigaction: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return true;
    }
}
