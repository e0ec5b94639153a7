namespace Taskmaster.Posix;

/// <summary>The errno values the code tests for (Linux numbering, the same on x86-64 and aarch64).</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, ECHILD = 10, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EEXIST = 17, ENOTDIR = 20, ENFILE = 23, EMFILE = 24, EPIPE = 32, ERANGE = 34, ELOOP = 40;
}
