using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Taskmaster.Ctl.Shell;

/// <summary>
/// Line editing through the system's libedit (BSD licence, Debian's libedit2): arrows, Home/End, Ctrl-A/E/W/U,
/// history saved to a file, and Tab completion through its readline-compatible API. The library is probed with
/// <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> first, so a machine without it falls back to plain
/// lines instead of failing. libedit calls back into managed code for completion; the callback is a static
/// <c>UnmanagedCallersOnly</c> method (NativeAOT-safe), and the strings it hands back are malloc'ed because
/// libedit frees them.
/// </summary>
internal sealed unsafe partial class LibEditLineReader : ILineReader
{
    private const string Lib = "libedit.so.2";
    private static ShellCompleter? s_completer;
    private static IReadOnlyList<string> s_candidates = [];
    private static int s_next;
    private static IntPtr s_lineBuffer;
    private static IntPtr s_point;

    private readonly string _historyFile;

    private LibEditLineReader(string historyFile) => _historyFile = historyFile;

    [LibraryImport(Lib, EntryPoint = "readline")]
    private static partial byte* NativeReadLine(byte* prompt);

    [LibraryImport(Lib, EntryPoint = "add_history")]
    private static partial int AddHistory(byte* line);

    [LibraryImport(Lib, EntryPoint = "read_history")]
    private static partial int ReadHistory(byte* path);

    [LibraryImport(Lib, EntryPoint = "write_history")]
    private static partial int WriteHistory(byte* path);

    [LibraryImport(Lib, EntryPoint = "using_history")]
    private static partial void UsingHistory();

    [LibraryImport(Lib, EntryPoint = "stifle_history")]
    private static partial void StifleHistory(int max);

    /// <summary>A libedit reader, or null when libedit is not installed or stdin/stdout is not a terminal.</summary>
    public static LibEditLineReader? TryCreate(string historyFile, ShellCompleter completer)
    {
        if (Console.IsInputRedirected || Console.IsOutputRedirected) return null;
        if (!NativeLibrary.TryLoad(Lib, out var handle)) return null;
        if (!NativeLibrary.TryGetExport(handle, "rl_completion_entry_function", out var entry)
            || !NativeLibrary.TryGetExport(handle, "rl_line_buffer", out s_lineBuffer)
            || !NativeLibrary.TryGetExport(handle, "rl_point", out s_point))
            return null;
        s_completer = completer;
        *(IntPtr*)entry = (IntPtr)(delegate* unmanaged[Cdecl]<byte*, int, byte*>)&Generate;
        UsingHistory();
        StifleHistory(1000);
        var reader = new LibEditLineReader(historyFile);
        if (File.Exists(historyFile)) reader.WithPath(p => ReadHistory(p));
        return reader;
    }

    public string? ReadLine(string prompt, bool remember = true)
    {
        byte* line;
        var promptBytes = Utf8(prompt);
        fixed (byte* p = promptBytes) line = NativeReadLine(p);
        if (line == null) return null;
        var text = Marshal.PtrToStringUTF8((IntPtr)line) ?? "";
        if (remember && text.Trim().Length > 0)
        {
            AddHistory(line);
            // Saved at every line, so history survives a killed terminal too.
            WithPath(p => WriteHistory(p));
        }
        NativeMemory.Free(line); // free(3): readline malloc()ed it
        return text;
    }

    private void WithPath(Func<IntPtr, int> action)
    {
        var bytes = Utf8(_historyFile);
        fixed (byte* p = bytes) action((IntPtr)p);
    }

    private static int ReadHistory(IntPtr p) => ReadHistory((byte*)p);
    private static int WriteHistory(IntPtr p) => WriteHistory((byte*)p);

    private static byte[] Utf8(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>readline's generator protocol: state 0 starts a new completion, then one match per call, null ends.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte* Generate(byte* text, int state)
    {
        try
        {
            if (state == 0)
            {
                var word = Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
                var line = Marshal.PtrToStringUTF8(*(IntPtr*)s_lineBuffer) ?? "";
                var point = Math.Clamp(*(int*)s_point, 0, line.Length);
                var before = line[..Math.Max(0, point - word.Length)];
                s_candidates = s_completer?.Complete(before, word) ?? [];
                s_next = 0;
            }
            if (s_next >= s_candidates.Count) return null;
            var bytes = Utf8(s_candidates[s_next++]);
            var copy = (byte*)NativeMemory.Alloc((nuint)bytes.Length); // malloc: libedit frees it
            bytes.CopyTo(new Span<byte>(copy, bytes.Length));
            return copy;
        }
        catch
        {
            return null; // an exception must never cross into native code
        }
    }

    public void Dispose() => WithPath(p => WriteHistory(p));
}
