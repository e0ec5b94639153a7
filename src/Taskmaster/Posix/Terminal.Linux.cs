// The terminal's settings as one opaque struct termios: only the local-mode word is touched (to switch echo off), so
// the struct is kept as a buffer larger than glibc's (60 bytes) rather than mirrored field by field.
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>tcgetattr and tcsetattr, with what it takes to switch echo off.</summary>
public static unsafe partial class Terminal
{
    private const string Lib = "libc";

    public const int TCSANOW = 0;

    /// <summary>&lt;termios.h&gt; ECHO, a bit of c_lflag.</summary>
    public const uint ECHO = 0x8;

    /// <summary>c_lflag follows c_iflag, c_oflag and c_cflag (a tcflag_t each) on Linux.</summary>
    public const int LocalFlagsOffset = 12;

    /// <summary>Room for a struct termios on every architecture.</summary>
    public const int TermiosBytes = 256;

    [LibraryImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, byte* termios);
}
