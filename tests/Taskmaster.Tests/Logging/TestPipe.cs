using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;

namespace Taskmaster.Tests.Logging;

/// <summary>A real kernel pipe made in-process: the read end goes to the capture under test, the
/// test writes into <see cref="Writer"/> as a child would.</summary>
internal sealed class TestPipe : IDisposable
{
    /// <param name="capacity">Pipe buffer size to ask for (the spawner enlarges children's pipes the same way); 0 keeps the default.</param>
    public TestPipe(int capacity = 0)
    {
        var fds = new int[2];
        unsafe
        {
            fixed (int* p = fds)
            {
                if (Descriptors.Pipe2(p, Descriptors.O_CLOEXEC) != 0)
                    throw new IOException($"pipe2 failed: {Marshal.GetLastPInvokeError()}");
            }
        }
        if (capacity > 0)
            Descriptors.Fcntl(fds[0], Descriptors.F_SETPIPE_SZ, capacity);
        ReadEnd = new SafeFileHandle(fds[0], ownsHandle: true);
        Writer = new FileStream(new SafeFileHandle(fds[1], ownsHandle: true), FileAccess.Write, bufferSize: 0);
    }

    /// <summary>Hand this to the capture; it takes ownership.</summary>
    public SafeFileHandle ReadEnd { get; }

    public FileStream Writer { get; }

    public void Write(string text) => Writer.Write(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Closing the write end is the child's exit as far as the capture is concerned.</summary>
    public void CloseWriter() => Writer.Dispose();

    public void Dispose()
    {
        Writer.Dispose();
        ReadEnd.Dispose();
    }
}
