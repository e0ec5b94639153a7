// Writing to a child's stdin from the supervision loop. The daemon's end of the pipe is non-blocking (see
// PosixSpawner), so a child that does not read makes write(2) fail with EAGAIN instead of stalling the loop, and
// a child that closed its stdin makes it fail with EPIPE (.NET ignores SIGPIPE, so no signal kills the daemon).
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Spawning;

/// <summary>Non-blocking writes to a child's stdin pipe, reporting errno instead of throwing.</summary>
public static unsafe class ChildStdin
{
    /// <summary>errno of a pipe whose reader is gone (the child closed its stdin or exited).</summary>
    public const int ClosedErrno = LibC.EPIPE;

    /// <summary>errno of a pipe that is full because the child is not reading.</summary>
    public const int FullErrno = LibC.EAGAIN;

    /// <summary>Writes as much of <paramref name="data"/> as the pipe takes without blocking. Returns the bytes
    /// written and 0, or the bytes written before the error and its errno. Writes of up to 4096 bytes (PIPE_BUF)
    /// are atomic: all of it or, with EAGAIN, nothing.</summary>
    public static (int Written, int Errno) Write(SafeFileHandle pipe, ReadOnlySpan<byte> data)
    {
        var written = 0;
        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            var fd = (int)pipe.DangerousGetHandle();
            fixed (byte* start = data)
            {
                while (written < data.Length)
                {
                    var n = LibC.Write(fd, start + written, data.Length - written);
                    if (n >= 0)
                    {
                        written += (int)n;
                        continue;
                    }
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != LibC.EINTR) return (written, errno);
                }
            }
            return (written, 0);
        }
        finally
        {
            if (added) pipe.DangerousRelease();
        }
    }
}
