using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Taskmaster.Control;
using Taskmaster.Names;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// Runs supervisorctl-style command lines against the daemon and prints supervisorctl's words. One instance
/// serves a one-shot invocation or a whole shell session; <see cref="ExitStatus"/> accumulates like
/// supervisorctl's (the last failure wins). Every command goes through the typed <see cref="ControlClient"/>.
/// </summary>
internal sealed partial class CommandProcessor : IDisposable
{
    private readonly TextWriter _out;
    private readonly TerminalStyle _style;
    private readonly bool _json;
    private ServerSettings _settings;
    private ControlClient _client;

    public CommandProcessor(ServerSettings settings, bool json, TextWriter output, TerminalStyle style)
    {
        _settings = settings;
        _json = json;
        _out = output;
        _style = style;
        _client = CreateClient(settings);
    }

    public int ExitStatus { get; set; }

    /// <summary>Set by the shell: reload/shutdown ask first, and <c>quit</c> ends the session.</summary>
    public bool Interactive { get; init; }

    /// <summary>Asks a yes/no question in the shell; null answer means no.</summary>
    public Func<string, string?>? Ask { get; set; }

    /// <summary>
    /// Set by the shell: asks for a username and password when the server answers 401, as supervisorctl's shell
    /// does; null (Ctrl-D) gives up. Without it a 401 is a plain error.
    /// </summary>
    public Func<(string Username, string Password)?>? AskCredentials { get; set; }

    public ServerSettings Settings => _settings;

    public ControlClient Client => _client;

    private static ControlClient CreateClient(ServerSettings s) =>
        ServerAddress.TryParse(s.ServerUrl, out var address)
            ? new ControlClient(address, s.Username, s.Password)
            : throw new ArgumentException($"bad server url {s.ServerUrl}: use unix:///path or http://host:port");

    /// <summary>Runs one line; false when the line asks to leave the shell.</summary>
    public async Task<bool> ExecuteAsync(string line, CancellationToken ct = default)
    {
        line = line.Trim();
        if (line.Length == 0) return true;
        var space = line.IndexOfAny([' ', '\t']);
        var command = space < 0 ? line : line[..space];
        var rest = space < 0 ? "" : line[(space + 1)..].Trim();
        var args = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (command == "?") command = "help";
        try
        {
            switch (command)
            {
                case "quit" or "exit" or "EOF": return false;
                case "help": Help(args); break;
                case "status": await StatusAsync(args, ct); break;
                case "start": await StartAsync(args, ct); break;
                case "stop": await StopAsync(args, ct); break;
                case "restart": await RestartAsync(args, ct); break;
                case "signal": await SignalAsync(args, ct); break;
                case "clear": await ClearAsync(args, ct); break;
                case "pid": await PidAsync(args, ct); break;
                case "tail": await TailAsync(args, ct); break;
                case "maintail": await MaintailAsync(args, ct); break;
                case "fg": await ForegroundAsync(args, ct); break;
                case "avail": await AvailAsync(args, ct); break;
                case "list": await ListAsync(args, ct); break;
                case "reread": await RereadAsync(args, ct); break;
                case "update": await UpdateAsync(args, ct); break;
                case "add": await AddAsync(args, ct); break;
                case "remove": await RemoveAsync(args, ct); break;
                case "reload": await ReloadAsync(args, ct); break;
                case "shutdown": await ShutdownAsync(args, ct); break;
                case "version": await VersionAsync(args, ct); break;
                case "open": await OpenAsync(args, ct); break;
                default:
                    Say($"*** Unknown syntax: {line}");
                    ExitStatus = ExitCodes.Error;
                    break;
            }
        }
        catch (ControlUnreachableException e)
        {
            // supervisorctl: "already shut down?" is a generic failure (1), every other command cannot reach it (4).
            Say(command == "shutdown" ? $"ERROR: {e.Message} (already shut down?)" : e.Message);
            ExitStatus = command == "shutdown" ? ExitCodes.Error : ExitCodes.Unreachable;
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.Unauthorized)
        {
            Say("Server requires authentication");
            if (AskCredentials?.Invoke() is not { } credentials)
            {
                ExitStatus = ExitCodes.Error;
                return true;
            }
            Say("");
            Reconnect(_settings with { Username = credentials.Username, Password = credentials.Password });
            return await ExecuteAsync(line, ct); // wrong again: asked again, until right or given up
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.ShutdownState)
        {
            Say("ERROR: already shutting down");
            ExitStatus = ExitCodes.Error;
        }
        catch (ControlApiException e)
        {
            Say($"ERROR: {e.Error.Error}: {e.Message}");
            ExitStatus = ExitCodes.Error;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            Say($"error: {e.GetType().Name}: {e.Message}");
            ExitStatus = ExitCodes.Error;
        }
        return true;
    }

    private void Say(string text) => _out.WriteLine(text);

    private void Json<T>(T value, JsonTypeInfo<T> info) => _out.WriteLine(JsonSerializer.Serialize(value, info));

    // supervisorctl answers a missing or wrong argument with its generic status 1; only `start` without a name
    // gives 2 (INVALID_ARGS), which scripts test for.
    private bool Usage(string message, string command, int status = ExitCodes.Error)
    {
        Say(message);
        Say(HelpTexts.ByCommand[command]);
        ExitStatus = status;
        return false;
    }

    private void Help(string[] args)
    {
        if (args.Length == 0) { Say(HelpTexts.Overview()); return; }
        Say(HelpTexts.ByCommand.TryGetValue(args[0], out var text) ? text : $"*** No help on {args[0]}");
    }

    // ---- status and pid -------------------------------------------------------------------------

    private async Task StatusAsync(string[] names, CancellationToken ct)
    {
        var all = await _client.GetProcessesAsync(ct);
        var matching = new List<ProcessInfo>();
        var unknown = false;
        if (names.Length == 0 || names.Contains("all"))
        {
            matching.AddRange(all);
        }
        else
        {
            foreach (var name in names)
            {
                var spec = Namespec.Parse(name);
                var found = all.Where(p => spec.Selects(p.Group, p.Name)).ToList();
                if (found.Count == 0)
                {
                    if (!_json) Say(spec.Scope == NameScope.Group ? $"{spec.Group}: ERROR (no such group)" : $"{name}: ERROR (no such process)");
                    unknown = true;
                }
                matching.AddRange(found);
            }
        }
        if (unknown) ExitStatus = ExitCodes.Unreachable; // supervisorctl's LSB "unknown" status, also 4
        if (_json) Json<IReadOnlyList<ProcessInfo>>(matching, ControlJsonContext.Default.IReadOnlyListProcessInfo);
        else PrintStatuses(matching);
        if (matching.Any(p => p.State is "STOPPED" or "EXITED" or "FATAL" or "UNKNOWN"))
            ExitStatus = ExitCodes.StatusNotRunning;
    }

    private void PrintStatuses(IReadOnlyList<ProcessInfo> processes)
    {
        var width = Math.Max(30, processes.Select(p => p.FullName.Length).DefaultIfEmpty(0).Max()) + 3;
        foreach (var p in processes)
            Say($"{p.FullName.PadRight(width)}{_style.State(p.State, 10)}{p.Description}".TrimEnd());
    }

    private async Task PidAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0)
        {
            var version = await _client.GetVersionAsync(ct);
            if (_json) Json(version, ControlJsonContext.Default.VersionResponse); else Say(version.Pid.ToString());
            return;
        }
        var all = await _client.GetProcessesAsync(ct);
        if (names.Contains("all"))
        {
            if (_json) Json(all, ControlJsonContext.Default.IReadOnlyListProcessInfo);
            else foreach (var p in all) Say((p.Pid ?? 0).ToString());
            return;
        }
        var found = new List<ProcessInfo>();
        foreach (var name in names)
        {
            var spec = Namespec.Parse(name);
            var info = all.FirstOrDefault(p => spec.Designates(p.Group, p.Name));
            if (info is null)
            {
                Say($"No such process {name}");
                ExitStatus = ExitCodes.Error;
                continue;
            }
            found.Add(info);
            if (!_json) Say((info.Pid ?? 0).ToString());
            if (info.Pid is null or 0) ExitStatus = ExitCodes.NotRunning;
        }
        if (_json) Json<IReadOnlyList<ProcessInfo>>(found, ControlJsonContext.Default.IReadOnlyListProcessInfo);
    }

    // ---- start, stop, restart, signal, clear ----------------------------------------------------

    private async Task StartAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("Error: start requires a process name", "start", ExitCodes.BadArguments); return; }
        var response = await _client.StartAsync(names, wait: true, ct);
        ReportResults(response, "started", ErrorCode.AlreadyStarted, ExitCodes.BadArguments);
    }

    private async Task StopAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("Error: stop requires a process name", "stop"); return; }
        var response = await _client.StopAsync(names, wait: true, ct);
        ReportResults(response, "stopped", ErrorCode.NotRunning, ExitCodes.Error);
    }

    private async Task RestartAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("Error: restart requires a process name", "restart"); return; }
        // supervisorctl's restart is "stop, then start": both halves are reported.
        var stopped = await _client.StopAsync(names, wait: true, ct);
        var started = await _client.StartAsync(names, wait: true, ct);
        if (_json)
        {
            Json(new ProcessActionResponse([.. stopped.Results, .. started.Results]), ControlJsonContext.Default.ProcessActionResponse);
            SetExitFrom(stopped, ErrorCode.NotRunning, ExitCodes.Error);
            SetExitFrom(started, ErrorCode.AlreadyStarted, ExitCodes.BadArguments);
            return;
        }
        ReportResults(stopped, "stopped", ErrorCode.NotRunning, ExitCodes.Error);
        ReportResults(started, "started", ErrorCode.AlreadyStarted, ExitCodes.BadArguments);
    }

    private async Task SignalAsync(string[] args, CancellationToken ct)
    {
        if (args.Length < 2) { Usage("Error: signal requires a signal name and a process name", "signal"); return; }
        try
        {
            var response = await _client.SignalAsync(args[1..], args[0], ct);
            ReportResults(response, "signalled", null, ExitCodes.Error);
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.BadSignal)
        {
            foreach (var name in args[1..]) Say($"{name}: ERROR (bad signal name)");
            ExitStatus = ExitCodes.Error;
        }
    }

    private async Task ClearAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("Error: clear requires a process name", "clear"); return; }
        var response = await _client.ClearAsync(names, ct);
        ReportResults(response, "cleared", null, ExitCodes.Error);
    }

    private void ReportResults(ProcessActionResponse response, string success, ErrorCode? ignored, int noSuchGroupStatus)
    {
        if (_json)
        {
            Json(response, ControlJsonContext.Default.ProcessActionResponse);
            SetExitFrom(response, ignored, noSuchGroupStatus);
            return;
        }
        foreach (var r in response.Results)
        {
            if (r.Ok) { Say($"{r.Name}: {success}"); continue; }
            if (r.Unknown == ProcessActionResult.UnknownGroup)
            {
                Say($"{Namespec.Parse(r.Name).Group}: ERROR (no such group)");
                continue;
            }
            Say($"{r.Name}: ERROR ({Describe(r)})");
        }
        SetExitFrom(response, ignored, noSuchGroupStatus);
    }

    private void SetExitFrom(ProcessActionResponse response, ErrorCode? ignored, int noSuchGroupStatus)
    {
        foreach (var r in response.Results)
        {
            if (r.Ok || r.Code == ignored) continue;
            if (r.Unknown == ProcessActionResult.UnknownGroup)
                ExitStatus = noSuchGroupStatus;
            else if (r.Code is ErrorCode.SpawnError or ErrorCode.AbnormalTermination or ErrorCode.NotRunning)
                ExitStatus = ExitCodes.NotRunning;
            else
                ExitStatus = ExitCodes.Error;
        }
    }

    /// <summary>supervisorctl's parenthesised reason for each fault.</summary>
    private static string Describe(ProcessActionResult r) => r.Code switch
    {
        ErrorCode.BadName => "no such process",
        ErrorCode.NoFile => "no such file",
        ErrorCode.NotExecutable => "file is not executable",
        ErrorCode.AlreadyStarted => "already started",
        ErrorCode.SpawnError => "spawn error",
        ErrorCode.AbnormalTermination => "abnormal termination",
        ErrorCode.NotRunning => "not running",
        ErrorCode.BadSignal => "bad signal name",
        ErrorCode.Failed => r.Message ?? "failed",
        _ => r.Message ?? r.Error ?? "error",
    };

    // ---- logs -----------------------------------------------------------------------------------

    private async Task TailAsync(string[] args, CancellationToken ct)
    {
        if (args.Length < 1) { Usage("Error: too few arguments", "tail"); return; }
        if (args.Length > 3) { Usage("Error: too many arguments", "tail"); return; }
        var list = args.ToList();
        string? modifier = list[0].StartsWith('-') ? list[0] : null;
        if (modifier is not null) list.RemoveAt(0);
        if (list.Count == 0) { Say("Error: tail requires process name"); ExitStatus = ExitCodes.Error; return; }
        var name = list[0];
        var channel = list.Count > 1 ? list[^1].ToLowerInvariant() : "stdout";
        if (channel is not ("stdout" or "stderr")) { Say($"Error: bad channel '{channel}'"); ExitStatus = ExitCodes.Error; return; }
        var stream = channel == "stdout" ? LogStream.Stdout : LogStream.Stderr;
        var bytes = 1600L;
        var follow = false;
        if (modifier is not null)
        {
            if (modifier == "-f") follow = true;
            else if (!long.TryParse(modifier[1..], out bytes) || bytes < 0) { Say($"Error: bad argument {modifier}"); ExitStatus = ExitCodes.Error; return; }
        }
        await ShowLogAsync(name, stream, bytes, follow, name, ct);
    }

    private async Task MaintailAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 1) { Usage("Error: too many arguments", "maintail"); return; }
        var bytes = 1600L;
        var follow = false;
        if (args.Length == 1)
        {
            if (args[0] == "-f") follow = true;
            else if (!args[0].StartsWith('-') || !long.TryParse(args[0][1..], out bytes) || bytes < 0)
            {
                Say($"Error: bad argument {args[0]}");
                ExitStatus = ExitCodes.Error;
                return;
            }
        }
        await ShowLogAsync(null, LogStream.Stdout, bytes, follow, "taskmasterd", ct);
    }

    private async Task ShowLogAsync(string? name, LogStream stream, long bytes, bool follow, string label, CancellationToken ct)
    {
        try
        {
            if (!follow)
            {
                var slice = await _client.ReadLogAsync(name, stream, -bytes, 0, ct);
                if (_json) Json(slice, ControlJsonContext.Default.LogSliceResponse);
                else Say(slice.Data);
                return;
            }
            await FollowAsync([(name, stream)], ct);
        }
        catch (ControlApiException e) when (e.Error.Code is ErrorCode.NoFile or ErrorCode.BadName or ErrorCode.Failed)
        {
            Say(e.Error.Code switch
            {
                ErrorCode.NoFile => $"{label}: ERROR (no log file)",
                ErrorCode.BadName => $"{label}: ERROR (no such process name)",
                _ => $"{label}: ERROR (unknown error reading log)",
            });
            ExitStatus = ExitCodes.Error;
        }
    }

    /// <summary>Copies one or more followed logs to stdout until Ctrl-C (or <paramref name="ct"/>).</summary>
    private async Task FollowAsync(IReadOnlyList<(string? Name, LogStream Stream)> sources, CancellationToken ct, Func<CancellationToken, Task>? alongside = null)
    {
        Say("==> Press Ctrl-C to exit <==");
        _out.Flush();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        var stdout = Console.OpenStandardOutput();
        var gate = new SemaphoreSlim(1, 1);
        try
        {
            var streams = new List<Stream>();
            foreach (var (name, stream) in sources)
                streams.Add(await _client.FollowLogAsync(name, stream, -1600, stop.Token));
            var pumps = streams.Select(async s =>
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await s.ReadAsync(buffer, stop.Token)) > 0)
                {
                    await gate.WaitAsync(stop.Token);
                    try
                    {
                        await stdout.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                        await stdout.FlushAsync(stop.Token);
                    }
                    finally { gate.Release(); }
                }
            }).ToList();
            // The alongside task (fg's input) may end the follow; the follow does not wait for it to notice the end.
            // Task.Run: it blocks a thread in poll(2) while waiting for input.
            var side = alongside is null ? null
                : Task.Run(() => alongside(stop.Token), CancellationToken.None).ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            try { await Task.WhenAny(side is null ? pumps : [.. pumps, side]); await stop.CancelAsync(); await Task.WhenAll(pumps); }
            catch (OperationCanceledException) { }
            catch (IOException) when (stop.IsCancellationRequested) { }
            foreach (var s in streams) await s.DisposeAsync();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        Say("");
    }

    private async Task ForegroundAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("ERROR: no process name supplied", "fg"); return; }
        if (names.Length > 1) { Say("ERROR: too many process names supplied"); ExitStatus = ExitCodes.Error; return; }
        var name = names[0];
        ProcessInfo info;
        try { info = await _client.GetProcessAsync(name, ct); }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.BadName)
        {
            Say("ERROR: bad process name supplied");
            ExitStatus = ExitCodes.Error;
            return;
        }
        if (info.State != "RUNNING")
        {
            Say("ERROR: process not running");
            ExitStatus = ExitCodes.Error;
            return;
        }
        var ended = "Exiting foreground";
        // Typed lines go to the process's stdin, as supervisorctl's fg sends them. In the shell only from a terminal:
        // with piped commands the shell's reader has already buffered the lines after "fg", and they are commands.
        var forwardInput = !Interactive || !Console.IsInputRedirected;
        await FollowAsync([(name, LogStream.Stdout), (name, LogStream.Stderr)], ct, !forwardInput ? null : async token =>
        {
            using var input = new InterruptibleStdin();
            var buffer = new byte[16 * 1024];
            while (!token.IsCancellationRequested)
            {
                var read = input.Read(buffer, token);
                if (read == 0) return; // end of input (Ctrl-D) leaves foreground mode like Ctrl-C
                try
                {
                    await _client.WriteStdinAsync(info.FullName, buffer.AsMemory(0, read), token);
                }
                catch (ControlApiException e) when (e.Error.Code == ErrorCode.InputFull)
                {
                    // The process is busy, not gone: say what was lost and keep going.
                    Say($"ERROR: {e.Error.Message}");
                    continue;
                }
                catch (ControlApiException e)
                {
                    ended = e.Error.Code == ErrorCode.NotRunning
                        ? "Process got killed\nExiting foreground"
                        : $"ERROR: {e.Error.Message}\nExiting foreground";
                    return;
                }
                // As in supervisorctl, each line is also a chance to notice the process died.
                if ((await _client.GetProcessAsync(info.FullName, token)).State != "RUNNING")
                {
                    ended = "Process got killed\nExiting foreground";
                    return;
                }
            }
        });
        Say(ended);
    }

    // ---- configuration --------------------------------------------------------------------------

    private async Task AvailAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 0) { Usage("Error: avail accepts no arguments", "avail"); return; }
        var programs = await _client.GetProgramsAsync(ct);
        if (_json) { Json(programs, ControlJsonContext.Default.IReadOnlyListProgramInfo); return; }
        foreach (var p in programs)
        {
            var name = Namespec.Format(p.Group, p.Name);
            Say($"{name,-32} {(p.InUse ? "in use" : "avail"),-9} {(p.Autostart ? "auto" : "manual"),-9} {p.GroupPriority}:{p.ProcessPriority}");
        }
    }

    private async Task ListAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 0) { Usage("Error: list accepts no arguments", "list"); return; }
        var programs = await _client.GetProgramsAsync(ct);
        var processes = await _client.GetProcessesAsync(ct);
        if (_json) { Json(programs, ControlJsonContext.Default.IReadOnlyListProgramInfo); return; }
        foreach (var program in programs.GroupBy(p => p.Program))
        {
            var instances = program.ToList();
            var live = instances.Select(i => processes.FirstOrDefault(p => p.Group == i.Group && p.Name == i.Name)).ToList();
            var running = live.Count(p => p?.State == "RUNNING");
            var states = live.Select(p => p?.State ?? "AVAIL").Distinct().ToList();
            var summary = states.Count == 1 ? states[0] : "MIXED";
            var group = instances[0].Group;
            var label = group == program.Key ? program.Key : $"{program.Key} ({group})";
            Say($"{label,-32} {running}/{instances.Count,-4} {_style.State(summary, 9)} {(instances[0].Autostart ? "auto" : "manual")}");
        }
    }

    private async Task RereadAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 0) { Usage("Error: reread accepts no arguments", "reread"); return; }
        try
        {
            var changes = await _client.RereadAsync(ct);
            if (_json) { Json(changes, ControlJsonContext.Default.RereadResponse); return; }
            PrintChanges(changes);
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.CantReread)
        {
            Say(CantReread(e.Message));
            ExitStatus = ExitCodes.Error;
        }
    }

    private void PrintChanges(RereadResponse changes)
    {
        var lines = changes.Added.Select(n => (n, "available"))
            .Concat(changes.Changed.Select(n => (n, "changed")))
            .Concat(changes.Removed.Select(n => (n, "disappeared")))
            .OrderBy(x => x.n, StringComparer.Ordinal).ToList();
        if (lines.Count == 0) Say("No config updates to processes");
        foreach (var (name, what) in lines) Say($"{name}: {what}");
        // Not a group line (scripts parse those): the daemon itself must be restarted for these to apply.
        foreach (var sentence in changes.RestartRequired ?? []) Say($"WARNING: {sentence}");
    }

    /// <summary>supervisorctl prints the fault string of CANT_REREAD, which opens with the fault's name.</summary>
    private static string CantReread(string? errors) => $"ERROR: CANT_REREAD: {errors}";

    private async Task UpdateAsync(string[] args, CancellationToken ct)
    {
        var groups = args.Contains("all") ? [] : args;
        try
        {
            var response = await _client.UpdateAsync(groups, ct);
            if (_json) Json(response, ControlJsonContext.Default.GroupActionResponse);
            var saidStopped = response.Results.Where(r => r.Ok && r.Action == "stopped").Select(r => r.Group).ToHashSet();
            foreach (var r in response.Results)
            {
                if (!r.Ok) ExitStatus = ExitCodes.Error;
                if (_json) continue;
                // supervisorctl always says "<group>: stopped" before "removed process group"; the daemon says it
                // only when it stopped a child, so scripts that look for the line get it either way, once.
                if (r.Ok && r.Action == "removed process group" && saidStopped.Add(r.Group)) Say($"{r.Group}: stopped");
                Say(r.Ok ? $"{r.Group}: {r.Action}"
                    : r.Code == ErrorCode.BadName ? $"ERROR: no such group: {r.Group}"
                    : r.Code == ErrorCode.CantReread ? CantReread(r.Message)
                    : $"{r.Group}: {r.Message ?? r.Action}");
            }
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.CantReread)
        {
            Say(CantReread(e.Message));
            ExitStatus = ExitCodes.Error;
        }
    }

    private async Task AddAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("Error: add requires a process/group name", "add"); return; }
        var response = await _client.AddAsync(names, ct);
        if (_json) Json(response, ControlJsonContext.Default.GroupActionResponse);
        foreach (var r in response.Results)
        {
            var (text, status) = r.Ok ? ($"{r.Group}: added process group", ExitCodes.Success) : r.Code switch
            {
                ErrorCode.AlreadyAdded => ("ERROR: process group already active", ExitCodes.Success),
                ErrorCode.BadName => ($"ERROR: no such process/group: {r.Group}", ExitCodes.Error),
                ErrorCode.ShutdownState => ("ERROR: shutting down", ExitCodes.Error),
                _ => ($"ERROR: {r.Message ?? r.Error}", ExitCodes.Error),
            };
            if (status != ExitCodes.Success) ExitStatus = status;
            if (!_json) Say(text);
        }
    }

    private async Task RemoveAsync(string[] names, CancellationToken ct)
    {
        if (names.Length == 0) { Usage("Error: remove requires a process/group name", "remove"); return; }
        var response = await _client.RemoveAsync(names, ct);
        if (_json) Json(response, ControlJsonContext.Default.GroupActionResponse);
        foreach (var r in response.Results)
        {
            if (!r.Ok) ExitStatus = ExitCodes.Error;
            if (_json) continue;
            Say(r.Ok ? $"{r.Group}: removed process group" : r.Code switch
            {
                ErrorCode.StillRunning => $"ERROR: process/group still running: {r.Group}",
                ErrorCode.BadName => $"ERROR: no such process/group: {r.Group}",
                _ => $"ERROR: {r.Message ?? r.Error}",
            });
        }
    }

    private async Task ReloadAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 0) { Usage("Error: reload accepts no arguments", "reload"); return; }
        if (Interactive && !Confirm("Really restart the remote taskmasterd process y/N? ")) return;
        var response = await _client.ReloadAsync(ct);
        if (_json) Json(response, ControlJsonContext.Default.AcceptedResponse); else Say("Restarted taskmasterd");
    }

    private async Task ShutdownAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 0) { Usage("Error: shutdown accepts no arguments", "shutdown"); return; }
        if (Interactive && !Confirm("Really shut the remote taskmasterd process down y/N? ")) return;
        var response = await _client.ShutdownAsync(ct);
        if (_json) Json(response, ControlJsonContext.Default.AcceptedResponse); else Say("Shut down");
    }

    private bool Confirm(string question) =>
        Ask?.Invoke(question)?.Trim().StartsWith("y", StringComparison.OrdinalIgnoreCase) == true;

    private async Task VersionAsync(string[] args, CancellationToken ct)
    {
        if (args.Length > 0) { Usage("Error: version accepts no arguments", "version"); return; }
        var version = await _client.GetVersionAsync(ct);
        if (_json) Json(version, ControlJsonContext.Default.VersionResponse); else Say(version.Version);
    }

    private async Task OpenAsync(string[] args, CancellationToken ct)
    {
        if (args.Length != 1 || !(args[0].StartsWith("unix://", StringComparison.Ordinal) || args[0].StartsWith("http://", StringComparison.Ordinal))
            || !ServerAddress.TryParse(args[0], out _))
        {
            Say("ERROR: url must be http:// or unix://");
            ExitStatus = ExitCodes.Error;
            return;
        }
        // Switch this session to another daemon, then show its status (what supervisorctl does). In a one-shot
        // command that only checks the daemon answers; it is mostly useful in the shell.
        Reconnect(_settings with { ServerUrl = args[0] });
        var previous = ExitStatus;
        await StatusAsync([], ct);
        ExitStatus = previous;
    }

    /// <summary>Talks to the server of <paramref name="settings"/> (another url, other credentials) from now on.</summary>
    private void Reconnect(ServerSettings settings)
    {
        _client.Dispose();
        _settings = settings;
        _client = CreateClient(settings);
    }

    public void Dispose() => _client.Dispose();
}
