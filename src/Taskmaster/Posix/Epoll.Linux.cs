// epoll, for the two threads that wait on many descriptors at once: the reaper (children's pidfds) and the pipe
// reactor (children's output pipes). struct epoll_event is packed on x86-64 (12 bytes, data at 4) and naturally
// aligned elsewhere (16 bytes, data at 8), so it is read and written by hand rather than mirrored as a struct.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>epoll_create1, epoll_ctl and epoll_wait, with the helpers both epoll loops share.</summary>
internal static unsafe partial class Epoll
{
    private const string Lib = "libc";

    public const int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;

    /// <summary>The size of one struct epoll_event; a buffer handed to <see cref="WaitForever"/> allows 16 per event.</summary>
    private static readonly int EventBytes = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport(Lib, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create1(int flags);

    [LibraryImport(Lib, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Ctl(int epfd, int op, int fd, void* ev);

    [LibraryImport(Lib, EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int Wait(int epfd, void* events, int maxEvents, int timeoutMs);

    /// <summary>Adds <paramref name="fd"/> to the set, level-triggered EPOLLIN, with <paramref name="data"/> as the
    /// word the set reports it with. 0, or the errno.</summary>
    public static int AddReadable(int epfd, int fd, ulong data)
    {
        var ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(uint*)ev = EPOLLIN;
        Unsafe.WriteUnaligned(ev + DataOffset, data);
        return Ctl(epfd, EPOLL_CTL_ADD, fd, ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>The data word of event <paramref name="index"/> in a buffer filled by <see cref="WaitForever"/>.</summary>
    public static ulong DataAt(byte* events, int index) =>
        Unsafe.ReadUnaligned<ulong>(events + index * EventBytes + DataOffset);

    /// <summary>
    /// epoll_wait with no timeout, retried on EINTR. Any other failure (EBADF, EFAULT, EINVAL) is a bug in the
    /// caller, and a thread that quietly stopped waiting would leave children unreaped or pipes undrained:
    /// failing loudly, naming <paramref name="thread"/>, is the lesser harm.
    /// </summary>
    public static int WaitForever(int epfd, byte* events, int maxEvents, string thread)
    {
        while (true)
        {
            var ready = Wait(epfd, events, maxEvents, -1);
            if (ready >= 0)
                return ready;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                Environment.FailFast($"{thread}: epoll_wait failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }
}
