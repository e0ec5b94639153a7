using System.Text;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Names;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// supervisord 4.2.5's <c>supervisor.*</c> namespace over the engine: the same parameters, result shapes (struct keys
/// in supervisord's order), fault codes and fault strings, so supervisorctl, childutils/superlance and dashboards work
/// unchanged. The engine is reached only through the interfaces the JSON API uses; this class only translates.
/// </summary>
internal sealed partial class SupervisorRpcInterface(
    ISupervisor supervisor,
    IConfigurationControl configuration,
    IProcessLogs logs,
    ControlServerOptions options,
    ILogger logger)
{
    /// <summary>The XML-RPC API version; supervisorctl refuses to talk to anything else.</summary>
    public const string ApiVersion = "3.0";

    /// <summary>What getSupervisorVersion reports: the supervisord release whose API this reproduces (tools compare it).</summary>
    public const string SupervisorVersion = "4.2.5";

    /// <summary>Set once shutdown was asked for (by any door or a signal): supervisor.* calls then answer
    /// SHUTDOWN_STATE, as supervisord's do.</summary>
    public bool ShuttingDown => options.Shutdown.HasBegun;

    private static XmlRpcStruct Struct(params KeyValuePair<string, XmlRpcValue>[] members) => new(members);
    private static KeyValuePair<string, XmlRpcValue> M(string name, XmlRpcValue value) => new(name, value);
    private static KeyValuePair<string, XmlRpcValue> M(string name, string value) => new(name, new XmlRpcString(value));
    private static KeyValuePair<string, XmlRpcValue> M(string name, long value) => new(name, new XmlRpcInt(value));
    private static KeyValuePair<string, XmlRpcValue> M(string name, bool value) => new(name, XmlRpcValue.Of(value));
    private static Task<XmlRpcValue> Done(XmlRpcValue value) => Task.FromResult(value);
    private static readonly XmlRpcValue True = XmlRpcBoolean.True;

    private Task<XmlRpcValue> GetState() =>
        Done(Struct(M("statecode", 1), M("statename", "RUNNING")));

    // ---- process information ----

    private async Task<IReadOnlyList<ProcessSnapshot>> Snapshots(CancellationToken ct) =>
        await supervisor.GetProcessesAsync(ct).ConfigureAwait(false);

    /// <summary>The one process <paramref name="name"/> designates; a group-only or unknown name is BAD_NAME.</summary>
    private async Task<ProcessSnapshot> OneProcess(string name, CancellationToken ct)
    {
        var spec = Namespec.Parse(name);
        return (await Snapshots(ct).ConfigureAwait(false)).FirstOrDefault(p => spec.Designates(p.Group, p.Name))
            ?? throw new XmlRpcFault(ErrorCode.BadName, name);
    }

    private async Task<XmlRpcValue> GetProcessInfo(string name, CancellationToken ct) =>
        ProcessInfo(await OneProcess(name, ct).ConfigureAwait(false), DateTimeOffset.UtcNow);

    private async Task<XmlRpcValue> GetAllProcessInfo(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var all = (await Snapshots(ct).ConfigureAwait(false))
            .OrderBy(p => p.Group, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal);
        return new XmlRpcArray([.. all.Select(p => (XmlRpcValue)ProcessInfo(p, now))]);
    }

    private static long Epoch(DateTimeOffset? at) => at?.ToUnixTimeSeconds() ?? 0;

    /// <summary>supervisord's getProcessInfo struct, keys in its order; a never-started process has start 0.</summary>
    internal static XmlRpcStruct ProcessInfo(ProcessSnapshot p, DateTimeOffset now) => Struct(
        M("name", p.Name),
        M("group", p.Group),
        M("start", Epoch(p.StartedAt)),
        M("stop", Epoch(p.StoppedAt)),
        M("now", now.ToUnixTimeSeconds()),
        M("state", (int)p.State),
        M("statename", p.State.ToString().ToUpperInvariant()),
        M("spawnerr", p.SpawnError ?? ""),
        M("exitstatus", p.LastExit?.Code ?? 0),
        M("logfile", p.StdoutLogfile ?? ""),
        M("stdout_logfile", p.StdoutLogfile ?? ""),
        M("stderr_logfile", p.StderrLogfile ?? ""),
        M("pid", p.Pid ?? 0),
        M("description", p.Description));

    // ---- start / stop / signal ----

    private static bool IsGroupOnly(string name) => Namespec.Parse(name).Scope == NameScope.Group;

    private static string GroupOf(string name) => Namespec.Parse(name).Group;

    /// <summary>A per-process outcome as supervisord's group operations report it.</summary>
    private static XmlRpcStruct ResultStruct(OperationResult r)
    {
        var spec = Namespec.Parse(r.Name);
        var code = r.Error is { } e ? (int)e : XmlRpcFault.Success;
        return Struct(
            M("name", spec.Process ?? spec.Group),
            M("group", spec.Group),
            M("status", code),
            M("description", r.Error is null ? "OK" : XmlRpcFault.FaultString(code, spec.Process ?? r.Name)));
    }

    /// <summary>A single-process result: true, or the fault supervisord raises.</summary>
    private static XmlRpcValue SingleResult(IReadOnlyList<OperationResult> results, string name)
    {
        var failed = results.FirstOrDefault(r => !r.Ok);
        if (failed is not null) throw new XmlRpcFault((int)failed.Error!.Value, name);
        if (results.Count == 0) throw new XmlRpcFault(ErrorCode.BadName, name);
        return True;
    }

    /// <summary>A group or "all" operation: BAD_NAME for an unknown group, else result structs for the processes
    /// it concerned (supervisord leaves out those already in the wanted state), in supervisord's order.</summary>
    private XmlRpcValue GroupResults(IReadOnlyList<OperationResult> results, string group, ErrorCode skipped)
    {
        if (results is [{ Error: ErrorCode.BadName, Unknown: NameScope.Group }])
            throw new XmlRpcFault(ErrorCode.BadName, group);
        var rank = SupervisordRank();
        return new XmlRpcArray([.. results
            .Where(r => r.Error != skipped)
            .OrderBy(r => rank.GetValueOrDefault(r.Name, int.MaxValue)) // stable: what the file does not know keeps its place
            .Select(r => (XmlRpcValue)ResultStruct(r))]);
    }

    /// <summary>
    /// Each process's place in supervisord's answers to group and "all" operations: groups by priority, then (its
    /// start-up order) by name; inside a group by priority, then in the order the file lists them (<c>programs=</c>,
    /// then numprocs). Our engine acts in its own order (stops highest priority first); only the answer is reordered,
    /// so supervisorctl prints the lines in the same order for both daemons.
    /// </summary>
    private Dictionary<string, int> SupervisordRank()
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        if (options.CurrentConfig is null) return rank;
        var groups = options.CurrentConfig().Groups.OrderBy(g => g.Priority).ThenBy(g => g.Name, StringComparer.Ordinal);
        foreach (var group in groups)
            foreach (var p in group.Processes.OrderBy(p => p.Priority)) // OrderBy is stable: ties keep the file's order
                rank.TryAdd(p.FullName, rank.Count);
        return rank;
    }

    private async Task<XmlRpcValue> StartProcess(string name, bool wait, CancellationToken ct)
    {
        if (IsGroupOnly(name)) return await StartProcessGroup(GroupOf(name), wait, ct).ConfigureAwait(false);
        await OneProcess(name, ct).ConfigureAwait(false);
        return SingleResult(await supervisor.StartAsync([name], wait, ct).ConfigureAwait(false), name);
    }

    private async Task<XmlRpcValue> StartProcessGroup(string group, bool wait, CancellationToken ct) =>
        GroupResults(await supervisor.StartAsync([$"{group}:*"], wait, ct).ConfigureAwait(false), group, ErrorCode.AlreadyStarted);

    private async Task<XmlRpcValue> StartAllProcesses(bool wait, CancellationToken ct) =>
        GroupResults(await supervisor.StartAsync(["all"], wait, ct).ConfigureAwait(false), "all", ErrorCode.AlreadyStarted);

    private async Task<XmlRpcValue> StopProcess(string name, bool wait, CancellationToken ct)
    {
        if (IsGroupOnly(name)) return await StopProcessGroup(GroupOf(name), wait, ct).ConfigureAwait(false);
        await OneProcess(name, ct).ConfigureAwait(false);
        return SingleResult(await supervisor.StopAsync([name], wait, ct).ConfigureAwait(false), name);
    }

    private async Task<XmlRpcValue> StopProcessGroup(string group, bool wait, CancellationToken ct) =>
        GroupResults(await supervisor.StopAsync([$"{group}:*"], wait, ct).ConfigureAwait(false), group, ErrorCode.NotRunning);

    private async Task<XmlRpcValue> StopAllProcesses(bool wait, CancellationToken ct) =>
        GroupResults(await supervisor.StopAsync(["all"], wait, ct).ConfigureAwait(false), "all", ErrorCode.NotRunning);

    private static int ParseSignal(string text) =>
        Taskmaster.Posix.Signals.TryParse(text, out var signal) ? signal : throw new XmlRpcFault(ErrorCode.BadSignal, text);

    private async Task<XmlRpcValue> SignalProcess(string name, string signalText, CancellationToken ct)
    {
        if (IsGroupOnly(name)) return await SignalProcessGroup(GroupOf(name), signalText, ct).ConfigureAwait(false);
        await OneProcess(name, ct).ConfigureAwait(false);
        var signal = ParseSignal(signalText);
        return SingleResult(await supervisor.SignalAsync([name], signal, ct).ConfigureAwait(false), name);
    }

    private async Task<XmlRpcValue> SignalProcessGroup(string group, string signalText, CancellationToken ct)
    {
        var signal = ParseSignal(signalText);
        return GroupResults(await supervisor.SignalAsync([$"{group}:*"], signal, ct).ConfigureAwait(false), group, ErrorCode.NotRunning);
    }

    private async Task<XmlRpcValue> SignalAllProcesses(string signalText, CancellationToken ct)
    {
        var signal = ParseSignal(signalText);
        return GroupResults(await supervisor.SignalAsync(["all"], signal, ct).ConfigureAwait(false), "all", ErrorCode.NotRunning);
    }

    // ---- logs ----

    private static void CheckWindow(long offset, long length)
    {
        if ((offset < 0 && length != 0) || length < 0 || length > int.MaxValue)
            throw new XmlRpcFault(ErrorCode.BadArguments);
    }

    /// <summary>Decodes a log window: invalid UTF-8 (a window can split a character) becomes U+FFFD instead of
    /// supervisord's HTTP 500; the writer then replaces what XML cannot carry.</summary>
    private static XmlRpcValue LogText(ReadOnlySpan<byte> bytes) => new XmlRpcString(Encoding.UTF8.GetString(bytes));

    private async Task<XmlRpcValue> ReadProcessLog(string name, LogStream stream, long offset, long length, CancellationToken ct)
    {
        await OneProcess(name, ct).ConfigureAwait(false);
        CheckWindow(offset, length);
        try
        {
            var slice = await logs.ReadAsync(name, stream, offset, (int)length, ct).ConfigureAwait(false);
            return LogText(slice.Data.Span);
        }
        catch (ControlOperationException e)
        {
            throw new XmlRpcFault(e.Code, e.Code == ErrorCode.BadName ? name : null);
        }
    }

    private async Task<XmlRpcValue> ReadMainLog(long offset, long length, CancellationToken ct)
    {
        CheckWindow(offset, length);
        if (options.MainLogfile is null) throw new XmlRpcFault(ErrorCode.NoFile);
        try
        {
            var slice = await logs.ReadAsync(null, LogStream.Stdout, offset, (int)length, ct).ConfigureAwait(false);
            return LogText(slice.Data.Span);
        }
        catch (ControlOperationException e)
        {
            throw new XmlRpcFault(e.Code, e.Code == ErrorCode.NoFile ? options.MainLogfile : null);
        }
    }

    /// <summary>supervisord's tailFile, quirks included: <c>[text, file size, overflow]</c>, and a missing file is
    /// <c>['', 0, false]</c>, not a fault.</summary>
    private async Task<XmlRpcValue> TailProcessLog(string name, LogStream stream, long offset, long length, CancellationToken ct)
    {
        var process = await OneProcess(name, ct).ConfigureAwait(false);
        var path = stream == LogStream.Stdout ? process.StdoutLogfile : process.StderrLogfile;
        if (offset < 0 || length < 0) throw new XmlRpcFault(ErrorCode.BadArguments);
        var empty = new XmlRpcArray([new XmlRpcString(""), new XmlRpcInt(0), XmlRpcBoolean.False]);
        if (path is null) return empty;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var size = file.Length;
            var overflow = false;
            if (size > offset + length)
            {
                overflow = true;
                offset = size - 1;
            }
            if (offset + length > size)
            {
                if (offset > size - 1) length = 0;
                offset = Math.Max(0, size - length);
            }
            length = Math.Min(length, Math.Max(0, size - offset));
            var buffer = new byte[length];
            file.Position = offset;
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            return new XmlRpcArray([LogText(buffer.AsSpan(0, read)), new XmlRpcInt(size), XmlRpcValue.Of(overflow)]);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return empty;
        }
        catch (IOException e)
        {
            throw new XmlRpcFault(ErrorCode.Failed, e.Message);
        }
    }

    private Task<XmlRpcValue> ClearMainLog()
    {
        var path = options.MainLogfile;
        if (path is null || !File.Exists(path)) throw new XmlRpcFault(ErrorCode.NoFile);
        try
        {
            // Truncated in place: the daemon appends to it, so its next line lands at the start.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.SetLength(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XmlRpcFault(ErrorCode.Failed, e.Message);
        }
        return Done(True);
    }

    private async Task<XmlRpcValue> ClearProcessLogs(string name, CancellationToken ct)
    {
        await OneProcess(name, ct).ConfigureAwait(false);
        return SingleResult(await supervisor.ClearLogsAsync([name], ct).ConfigureAwait(false), name);
    }

    private async Task<XmlRpcValue> ClearAllProcessLogs(CancellationToken ct) =>
        GroupResults(await supervisor.ClearLogsAsync(["all"], ct).ConfigureAwait(false), "all", (ErrorCode)(-1));

    // ---- configuration ----

    private async Task<XmlRpcValue> ReloadConfig(CancellationToken ct)
    {
        var result = await configuration.RereadAsync(ct).ConfigureAwait(false);
        if (result.Changes is not { } changes)
            throw new XmlRpcFault(ErrorCode.CantReread, string.Join('\n', result.Errors));
        static XmlRpcArray Names(IEnumerable<string> names) => new([.. names.Select(n => (XmlRpcValue)new XmlRpcString(n))]);
        return new XmlRpcArray([new XmlRpcArray([Names(changes.Added), Names(changes.Changed), Names(changes.Removed)])]);
    }

    private async Task<XmlRpcValue> GroupChange(string group, Func<string, CancellationToken, Task<GroupUpdateResult>> change, CancellationToken ct)
    {
        var result = await change(group, ct).ConfigureAwait(false);
        if (result.Error is { } error) throw new XmlRpcFault(error, group);
        return True;
    }

    private async Task<XmlRpcValue> GetAllConfigInfo(CancellationToken ct)
    {
        if (options.CurrentConfig is null) return new XmlRpcArray([]);
        var config = options.CurrentConfig();
        var active = (await Snapshots(ct).ConfigureAwait(false)).Select(p => p.Group).ToHashSet(StringComparer.Ordinal);
        var serverurl = ServerUrl(config);
        var rows = config.Groups
            .SelectMany(g => g.Processes.Select(p => (Group: g, Process: p)))
            .OrderBy(x => x.Process.Name, StringComparer.Ordinal)
            .Select(x => (XmlRpcValue)ConfigInfo(x.Group, x.Process, active.Contains(x.Group.Name), serverurl));
        return new XmlRpcArray([.. rows]);
    }

    private static string ServerUrl(SupervisorConfig config) =>
        config.UnixHttpServer is { } unix ? $"unix://{unix.File}"
        : config.InetHttpServer is { } inet ? $"http://{(inet.Host is "" or "*" ? "localhost" : inet.Host)}:{inet.Port}"
        : "none";

    private static XmlRpcStruct ConfigInfo(GroupConfig group, ProcessConfig p, bool inUse, string serverurl) => Struct(
        M("autostart", p.Autostart),
        M("directory", p.Directory ?? "none"),
        M("uid", p.User ?? "none"),
        M("command", p.Command.Raw),
        M("exitcodes", new XmlRpcArray([.. p.ExitCodes.Select(c => (XmlRpcValue)new XmlRpcInt(c))])),
        M("group", group.Name),
        M("group_prio", group.Priority),
        M("inuse", inUse),
        M("killasgroup", p.KillAsGroup),
        M("name", p.Name),
        M("process_prio", p.Priority),
        M("redirect_stderr", p.RedirectStderr),
        M("startretries", p.StartRetries),
        M("startsecs", p.StartSecs),
        M("stdout_capture_maxbytes", 0),
        M("stdout_events_enabled", false),
        M("stdout_logfile", LogPath(p.Stdout)),
        M("stdout_logfile_backups", p.Stdout.Backups),
        M("stdout_logfile_maxbytes", p.Stdout.MaxBytes),
        M("stdout_syslog", false),
        M("stopsignal", p.StopSignal),
        M("stopwaitsecs", p.StopWaitSecs),
        M("stderr_capture_maxbytes", 0),
        M("stderr_events_enabled", false),
        M("stderr_logfile", LogPath(p.Stderr)),
        M("stderr_logfile_backups", p.Stderr.Backups),
        M("stderr_logfile_maxbytes", p.Stderr.MaxBytes),
        M("stderr_syslog", false),
        M("serverurl", serverurl));

    private static string LogPath(LogTarget target) => target.IsAuto && target.Path is null ? "auto" : target.Path ?? "none";

    // ---- stdin, shutdown, restart ----

    private async Task<XmlRpcValue> SendProcessStdin(string name, XmlRpcValue chars, CancellationToken ct)
    {
        if (chars is not XmlRpcString text) throw new XmlRpcFault(ErrorCode.IncorrectParameters, "chars must be a string");
        await OneProcess(name, ct).ConfigureAwait(false);
        if (options.Input is null) throw new XmlRpcFault(ErrorCode.Failed, "this daemon does not forward stdin");
        var data = Encoding.UTF8.GetBytes(text.Value);
        var result = await options.Input.WriteStdinAsync(name, data, ct).ConfigureAwait(false);
        return result.Status switch
        {
            StdinWriteStatus.Written => True,
            StdinWriteStatus.BadName => throw new XmlRpcFault(ErrorCode.BadName, name),
            StdinWriteStatus.NotRunning => throw new XmlRpcFault(ErrorCode.NotRunning, name),
            StdinWriteStatus.Closed => throw new XmlRpcFault(ErrorCode.NoFile, name),
            // supervisord buffers without bound; we refuse what the pipe cannot take rather than grow.
            StdinWriteStatus.Full => throw new XmlRpcFault(ErrorCode.Failed, $"stdin of {name} is full ({result.Written} of {data.Length} bytes sent)"),
            _ => throw new XmlRpcFault(ErrorCode.Failed, result.Status.ToString()),
        };
    }

    private Task<XmlRpcValue> Shutdown()
    {
        if (!options.Shutdown.TryBegin()) throw new XmlRpcFault(ErrorCode.ShutdownState);
        // Answer first, like supervisord: stopping every program may outlast the client's patience.
        RunInBackground("shutdown", async () =>
        {
            try { await supervisor.ShutdownAsync(CancellationToken.None).ConfigureAwait(false); }
            finally { options.ShutdownCompleted?.Invoke(); }
        });
        return Done(True);
    }

    private Task<XmlRpcValue> Restart()
    {
        RunInBackground("reload", () => configuration.ReloadAsync(CancellationToken.None));
        return Done(True);
    }

    private void RunInBackground(string operation, Func<Task> work) =>
        _ = Task.Run(async () =>
        {
            try { await work().ConfigureAwait(false); }
            catch (Exception e) { ControlServerLog.BackgroundFailed(logger, e, operation); }
        });
}
