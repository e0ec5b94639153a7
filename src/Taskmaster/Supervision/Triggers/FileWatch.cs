using System.Collections.Immutable;
using Taskmaster.Config;
using Taskmaster.Posix;

namespace Taskmaster.Supervision.Triggers;

/// <summary>
/// <c>restart_when_binary_changed</c> and <c>restart_directory_monitor</c> (<c>watch</c>): one inotify descriptor for the
/// daemon, read by one thread that posts each batch of events to the loop; both exist only once a program watches
/// something. The loop matches an event to the processes that watch its directory and moves their debounce deadline
/// (<see cref="ManagedProcess.WatchAt"/>, <c>watch_delay</c> after the last event of a burst); when it is due the
/// process is restarted, or sent its configured signal.
/// </summary>
/// <remarks>
/// The executable is watched through its directory (a deploy usually renames a new file over it, which a watch on the
/// file itself would not follow), filtered by its name. Watched directories are walked once when the watch begins
/// (subdirectories included, at most <see cref="MaxDirectories"/> per program) and a directory created later is
/// added when its creation is seen. The set of watches is rebuilt when the directory of processes changes (start,
/// reload), only then.
/// </remarks>
internal sealed class FileWatch(ISupervisionLoop loop, TimeProvider time, Action<string, Action> post, Action<ManagedProcess, int?, string> fire)
{
    /// <summary>Directories watched for one program at most (inotify's default limit is 8192 per user).</summary>
    private const int MaxDirectories = 1000;

    private readonly Dictionary<string, int> _watchByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _pathByWatch = [];
    private readonly Dictionary<ManagedProcess, Interest> _interests = new(ReferenceEqualityComparer.Instance);
    private int _fd = -1;
    private int _seenVersion = -1;

    /// <summary>What one process watches: its executable (directory and name) and its monitored roots.</summary>
    private sealed record Interest(string? BinaryDirectory, string? BinaryName, ImmutableArray<string> Roots);

    /// <summary>After the directory changed: rebuilds who watches what, adding and dropping inotify watches.</summary>
    public void Follow(ProcessDirectory directory)
    {
        if (directory.Version == _seenVersion) return;
        _seenVersion = directory.Version;
        _interests.Clear();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in directory.Unordered)
        {
            var c = p.Config;
            if (!c.RestartWhenBinaryChanged && c.RestartDirectoryMonitor.IsEmpty)
            {
                if (p.WatchAt is not null) p.WatchAt = null;
                continue;
            }
            string? binDir = null, binName = null;
            if (c.RestartWhenBinaryChanged && Executable(c) is { } exe)
            {
                binDir = Path.GetDirectoryName(exe);
                binName = Path.GetFileName(exe);
                if (binDir is not null) wanted.Add(binDir);
            }
            foreach (var root in c.RestartDirectoryMonitor)
                foreach (var dir in Walk(p, root)) wanted.Add(dir);
            _interests[p] = new Interest(binDir, binName, c.RestartDirectoryMonitor);
        }
        foreach (var (path, wd) in _watchByPath.Where(kv => !wanted.Contains(kv.Key)).ToList())
        {
            Inotify.RemoveWatch(_fd, wd);
            _watchByPath.Remove(path);
            _pathByWatch.Remove(wd);
        }
        foreach (var path in wanted)
            if (!_watchByPath.ContainsKey(path)) Add(path, null);
    }

    /// <summary><paramref name="p"/>'s debounce passed: restart it, or signal it.</summary>
    public void Due(ManagedProcess p)
    {
        if (p.WatchReason is not { } reason) return;
        p.WatchReason = null;
        if (loop.ShuttingDown || p.State is not (ProcessState.Running or ProcessState.Starting)) return;
        fire(p, reason.Signal, reason.What);
    }

    private void OnEvents(List<Inotify.Event> events)
    {
        var now = time.GetUtcNow();
        foreach (var e in events)
        {
            if ((e.Mask & Inotify.IN_IGNORED) != 0 || !_pathByWatch.TryGetValue(e.Watch, out var dir)) continue;
            var path = e.Name.Length == 0 ? dir : Path.Combine(dir, e.Name);
            foreach (var (p, interest) in _interests)
            {
                var c = p.Config;
                if (interest.BinaryDirectory == dir && interest.BinaryName == e.Name)
                    Arm(p, now, new WatchReason($"the executable {path}", c.RestartSignalWhenBinaryChanged));
                else if (interest.Roots.Any(r => Under(dir, r)) && !Ignored(c, dir, e.Name))
                {
                    if ((e.Mask & Inotify.IN_ISDIR) != 0)
                    {
                        if ((e.Mask & (Inotify.IN_CREATE | Inotify.IN_MOVED_TO)) != 0 && !_watchByPath.ContainsKey(path)) Add(path, p);
                        continue;
                    }
                    if (c.RestartFilePattern.Any(g => Glob(g, e.Name)))
                        Arm(p, now, new WatchReason($"watched file {path}", c.RestartSignalWhenFileChanged));
                }
            }
        }
    }

    private static void Arm(ManagedProcess p, DateTimeOffset now, WatchReason reason)
    {
        p.WatchReason = reason;
        p.WatchAt = now + p.Config.WatchDelay;
    }

    private void Add(string path, ManagedProcess? forWhom)
    {
        if (_fd < 0 && !Open()) return;
        var wd = Inotify.AddWatch(_fd, path, Inotify.DirectoryChanges);
        if (wd < 0)
        {
            var name = forWhom?.Name ?? string.Join(", ", _interests.Keys.Select(p => p.Name));
            TriggerLog.CannotWatch(loop.Logger, name, path, System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(
                System.Runtime.InteropServices.Marshal.GetLastPInvokeError()));
            return;
        }
        _watchByPath[path] = wd;
        _pathByWatch[wd] = path;
    }

    /// <summary>The descriptor and its reader thread, made on first need and kept for the daemon's life.</summary>
    private bool Open()
    {
        _fd = Inotify.Init1(Inotify.IN_CLOEXEC);
        if (_fd < 0) return false;
        var fd = _fd;
        var thread = new Thread(() =>
        {
            var buffer = new byte[64 * 1024];
            while (Inotify.ReadEvents(fd, buffer) is { } events)
                if (events.Count > 0) post("file changes", () => OnEvents(events));
        }) { IsBackground = true, Name = "taskmaster-inotify" };
        thread.Start();
        return true;
    }

    private IEnumerable<string> Walk(ManagedProcess p, string root)
    {
        if (!Directory.Exists(root))
        {
            TriggerLog.CannotWatch(loop.Logger, p.Name, root, "no such directory");
            yield break;
        }
        var pending = new Queue<string>([root]);
        var count = 0;
        while (pending.Count > 0 && count < MaxDirectories)
        {
            var dir = pending.Dequeue();
            count++;
            yield return dir;
            IEnumerable<string> subdirectories;
            try
            {
                subdirectories = Directory.EnumerateDirectories(dir).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var sub in subdirectories)
                if (!Ignored(p.Config, dir, Path.GetFileName(sub))) pending.Enqueue(sub);
        }
    }

    private static bool Under(string dir, string root) =>
        dir == root || dir.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static bool Ignored(ProcessConfig c, string dir, string name) => c.IgnoreWatch.Any(g => Glob(g, name));

    /// <summary><c>*</c> any run of characters, <c>?</c> one, the rest literal.</summary>
    internal static bool Glob(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n])) { p++; n++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = n; }
            else if (star >= 0) { p = star + 1; n = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>The executable the program runs: argv[0] as is when it holds a slash, else found on its PATH.</summary>
    private static string? Executable(ProcessConfig c)
    {
        var first = c.Command.Argv.IsEmpty ? null : c.Command.Argv[0];
        if (first is null) return null;
        if (first.Contains('/')) return Path.GetFullPath(first, c.Directory ?? Environment.CurrentDirectory);
        var path = c.Environment.LastOrDefault(kv => kv.Key == "PATH").Value ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, first);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>Why a process's watch deadline is armed: what changed, and the signal to send instead of a restart.</summary>
internal sealed record WatchReason(string What, int? Signal);
