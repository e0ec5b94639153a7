// Where AUTO logs go. supervisord names them `{name}-{stream}---{identifier}-{random}.log` in childlogdir (mkstemp),
// so nobody can create the file before the daemon does. Here the random part is a keyed hash of the file's place
// and name under a key drawn once per daemon process: unpredictable to other users, a different file for every
// stream (seeing one name tells nothing about another), and the same name across reloads of one daemon, so a
// reload does not see every AUTO log as changed. The file itself is created by the daemon (O_EXCL, 0600), never
// by reading the configuration.
//
// A childlogdir where another user could replace or remove our names (writable by others and not sticky, or owned
// by another user) holds no AUTO log directly: they go to a private 0700 directory inside it, created when the
// first log is opened.
using System.Security.Cryptography;
using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Config;

/// <summary>The path of each AUTO log of one configuration.</summary>
public sealed class AutoLogNames
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private readonly string _identifier;

    public AutoLogNames(string childLogDir, string identifier)
    {
        _identifier = identifier;
        UnsafeReason = StateFile.UnsafeDirectoryReason(childLogDir);
        Directory = UnsafeReason is null ? childLogDir : System.IO.Path.Combine(childLogDir, $"taskmaster-{identifier}-{Random("dir", childLogDir)}");
    }

    /// <summary>Why childlogdir itself is not used (AUTO logs then go to the private <see cref="Directory"/>), or null.</summary>
    public string? UnsafeReason { get; }

    /// <summary>The directory that holds the AUTO logs.</summary>
    public string Directory { get; }

    /// <summary>The AUTO log of <paramref name="processName"/>'s <paramref name="stream"/> (stdout or stderr).</summary>
    public string PathFor(string processName, string stream) =>
        System.IO.Path.Combine(Directory, $"{processName}-{stream}---{_identifier}-{Random(processName, stream, Directory)}.log");

    /// <summary>True for a file name this scheme gives an AUTO log of <paramref name="identifier"/> (or one of its
    /// backups), whichever daemon process drew it: what a daemon starting clears, as supervisord clears its own.</summary>
    public static bool IsAutoLogName(string fileName, string identifier) =>
        System.Text.RegularExpressions.Regex.IsMatch(fileName,
            $@"^.+---{System.Text.RegularExpressions.Regex.Escape(identifier)}-[0-9a-f]{{12}}\.log(\.[0-9]{{1,4}})?$");

    private static string Random(params string[] parts) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(string.Join('\0', parts))))[..12];
}
