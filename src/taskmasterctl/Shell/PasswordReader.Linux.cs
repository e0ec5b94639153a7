// supervisorctl reads the password with Python's getpass: the terminal's echo is switched off and the line is
// read through the kernel's own line editing (backspace, ^U), so nothing typed appears on screen. The same here
// with termios: ECHO cleared in c_lflag for one read(2) of fd 0, restored in finally and on Ctrl-C (the default
// SIGINT would otherwise leave the user's terminal mute). libedit restores the terminal's cooked mode after
// each line, so between two shell prompts fd 0 is in the canonical mode this relies on.
using System.Runtime.InteropServices;
using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Ctl.Shell;

/// <summary>Reads a password without echoing it, like getpass(3).</summary>
internal static unsafe class PasswordReader
{
    private const int StdinFd = 0;

    /// <summary>
    /// Prints <paramref name="prompt"/> and reads one line with echo off; null at end of input (Ctrl-D). When stdin
    /// is not a terminal there is no echo to hide: the line is read as it comes.
    /// </summary>
    public static string? ReadHidden(string prompt)
    {
        var saved = new byte[Terminal.TermiosBytes];
        fixed (byte* original = saved)
        {
            if (Console.IsInputRedirected || Terminal.TcGetAttr(StdinFd, original) != 0)
            {
                WritePrompt(prompt);
                return Console.ReadLine();
            }
            var muted = (byte[])saved.Clone();
            fixed (byte* quiet = muted)
            {
                ref var localFlags = ref *(uint*)(quiet + Terminal.LocalFlagsOffset);
                localFlags &= ~Terminal.ECHO;
                using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Restore(saved));
                Terminal.TcSetAttr(StdinFd, Terminal.TCSANOW, quiet);
                try
                {
                    WritePrompt(prompt); // only once muted: what is typed after the prompt shows can never echo
                    return ReadLineFromStdin();
                }
                finally
                {
                    Terminal.TcSetAttr(StdinFd, Terminal.TCSANOW, original);
                    Console.Out.WriteLine(); // the Enter was not echoed either
                }
            }
        }
    }

    private static void WritePrompt(string prompt)
    {
        Console.Out.Write(prompt);
        Console.Out.Flush();
    }

    private static void Restore(byte[] saved)
    {
        fixed (byte* original = saved) Terminal.TcSetAttr(StdinFd, Terminal.TCSANOW, original);
    }

    /// <summary>One line from fd 0 (the terminal hands over a whole line at once in canonical mode).</summary>
    private static string? ReadLineFromStdin()
    {
        var line = new List<byte>();
        var buffer = stackalloc byte[256];
        while (true)
        {
            var count = Descriptors.Read(StdinFd, buffer, 256);
            if (count < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR) continue;
            if (count <= 0) return line.Count > 0 ? Decode(line) : null;
            for (var i = 0; i < count; i++)
            {
                if (buffer[i] == (byte)'\n') return Decode(line);
                line.Add(buffer[i]);
            }
        }
    }

    private static string Decode(List<byte> bytes) => Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
}
