// inotify, for restart triggers on file changes (restart_when_binary_changed, restart_directory_monitor / watch). One
// descriptor for the daemon, read by one thread that exists only once some program watches a file.
using System.Runtime.InteropServices;
using System.Text;

namespace Taskmaster.Posix;

/// <summary>inotify_init1, inotify_add_watch, inotify_rm_watch, and the parsing of what read() returns.</summary>
internal static unsafe partial class Inotify
{
    private const string Lib = "libc";

    public const int IN_CLOEXEC = 0x80000;
    public const uint IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80, IN_CREATE = 0x100,
        IN_DELETE = 0x200, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000, IN_ONLYDIR = 0x1000000, IN_ISDIR = 0x40000000;

    /// <summary>What a watched directory reports: a file written and closed, replaced by a rename, created, removed.</summary>
    public const uint DirectoryChanges = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_ONLYDIR;

    [LibraryImport(Lib, EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int Init1(int flags);

    [LibraryImport(Lib, EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddWatch(int fd, string path, uint mask);

    [LibraryImport(Lib, EntryPoint = "inotify_rm_watch", SetLastError = true)]
    public static partial int RemoveWatch(int fd, int wd);

    /// <summary>One event: the watch, what happened, and the name inside the watched directory ("" for the directory).</summary>
    public readonly record struct Event(int Watch, uint Mask, string Name);

    /// <summary>Blocks until events come and returns them; an empty list after EINTR; null when the descriptor failed.</summary>
    public static List<Event>? ReadEvents(int fd, byte[] buffer)
    {
        nint n;
        fixed (byte* p = buffer) n = Descriptors.Read(fd, p, buffer.Length);
        if (n < 0) return Marshal.GetLastPInvokeError() == Errno.EINTR ? [] : null;
        var events = new List<Event>();
        var offset = 0;
        // struct inotify_event { int wd; uint32 mask; uint32 cookie; uint32 len; char name[len]; }
        while (offset + 16 <= n)
        {
            var wd = BitConverter.ToInt32(buffer, offset);
            var mask = BitConverter.ToUInt32(buffer, offset + 4);
            var len = (int)BitConverter.ToUInt32(buffer, offset + 12);
            var name = buffer.AsSpan(offset + 16, len);
            var end = name.IndexOf((byte)0);
            events.Add(new Event(wd, mask, Encoding.UTF8.GetString(end < 0 ? name : name[..end])));
            offset += 16 + len;
        }
        return events;
    }
}
