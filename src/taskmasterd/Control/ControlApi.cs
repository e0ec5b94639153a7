using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Taskmaster.Control;
using Taskmaster.Events;
using Taskmaster.Names;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// The /api/v1 endpoints. Every handler is a plain <see cref="RequestDelegate"/> that parses its own input with
/// the source-generated JSON context and writes its own output, so nothing depends on reflection-based binding,
/// and every failure, whatever its origin (engine, JSON, Kestrel limits, unknown route), leaves as one
/// <see cref="ApiError"/> body with a stable code. The engine is reached only through ISupervisor and
/// IConfigurationControl.
/// </summary>
internal sealed class ControlApi(
    ISupervisor supervisor,
    IConfigurationControl configuration,
    IProcessLogs logs,
    ControlServerOptions options,
    ILogger logger)
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;
    private readonly FollowBurst _followers = new();

    /// <summary>
    /// Maps the routes behind one middleware that, for every door, runs <see cref="RequestGuard"/>'s checks, then
    /// the login back-off and the credentials, before any handler reads the request.
    /// </summary>
    public void Map(WebApplication app, ControlDoor unixDoor, ControlDoor? inetDoor, LoginThrottle logins, RefusalLog refusals)
    {
        app.Use(async (ctx, next) =>
        {
            try
            {
                var door = ctx.Connection.LocalIpAddress is not null && inetDoor is not null ? inetDoor : unixDoor;
                var peer = door.Hosts is null ? "unix socket" : LoginThrottle.PeerOf(ctx.Connection.RemoteIpAddress);
                if (RequestGuard.Refusal(ctx, door.Hosts) is { } refusal)
                {
                    refusals.Record(ApiError.NameOf(refusal.Code).ToLowerInvariant().Replace('_', ' '), peer);
                    await WriteErrorAsync(ctx, refusal.Code, refusal.Message);
                    return;
                }
                if (door.Credentials is { } credentials)
                {
                    if (logins.RemainingPause(peer) is { } pause)
                    {
                        refusals.Record("login during back-off", peer);
                        var seconds = (int)Math.Ceiling(pause.TotalSeconds);
                        await WriteErrorAsync(ctx, ErrorCode.TooManyFailures, $"too many failed logins from {peer}: try again in {seconds} s",
                            ("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                        return;
                    }
                    var offered = ctx.Request.Headers.Authorization.ToString();
                    if (!credentials.Verify(offered.Length == 0 ? null : offered))
                    {
                        // A request without credentials is how a client learns that it needs some: not a guess.
                        if (offered.Length > 0) logins.Failed(peer);
                        refusals.Record(offered.Length > 0 ? "failed login" : "request without credentials", peer);
                        await WriteErrorAsync(ctx, ErrorCode.Unauthorized, "authentication required: wrong or missing credentials",
                            ("WWW-Authenticate", "Basic realm=\"taskmaster\""));
                        return;
                    }
                    logins.Succeeded(peer);
                }
                door.Connections.Authenticated(ctx.Connection.Id);
                await next(ctx);
                // Routing answers a known path with the wrong method by a bare 405: give it the API's error body too.
                if (ctx.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !ctx.Response.HasStarted)
                    await WriteJsonAsync(ctx, ApiError.Of(ErrorCode.UnknownRoute,
                        $"method {ctx.Request.Method} not allowed on {ctx.Request.Path}"), Json.ApiError, StatusCodes.Status405MethodNotAllowed);
            }
            catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
            {
                // The client went away (e.g. Ctrl-C on tail -f): nothing to answer.
            }
            catch (Exception e)
            {
                await HandleFailureAsync(ctx, e);
            }
        });

        var v1 = app.MapGroup("/api/v1");
        Get(v1, "/version", Version);
        Get(v1, "/processes", ListProcesses);
        Get(v1, "/processes/{name}", GetProcess);
        Post(v1, "/processes/start", Start);
        Post(v1, "/processes/stop", Stop);
        Post(v1, "/processes/restart", Restart);
        Post(v1, "/processes/signal", Signal);
        Post(v1, "/processes/clear", Clear);
        Get(v1, "/processes/{name}/log", ctx => LogAsync(ctx, RouteName(ctx)));
        Post(v1, "/processes/{name}/stdin", Stdin, BodyMediaType.OctetStream);
        Get(v1, "/log", ctx => LogAsync(ctx, null));
        Get(v1, "/programs", Programs);
        Post(v1, "/reread", Reread);
        Post(v1, "/update", Update);
        Post(v1, "/add", Add);
        Post(v1, "/remove", Remove);
        Post(v1, "/reload", Reload);
        Post(v1, "/shutdown", Shutdown);
        Get(v1, "/events", Events);
        // "{*path}", not the default "{*path:nonfile}": a path ending like a file name (/x.py) must get the JSON 404 too.
        app.MapFallback("{*path}", (RequestDelegate)(ctx => WriteErrorAsync(ctx, ErrorCode.UnknownRoute,
            $"no such endpoint: {ctx.Request.Method} {ctx.Request.Path}")));
    }

    private static void Get(RouteGroupBuilder group, string pattern, RequestDelegate handler) => group.MapGet(pattern, handler);
    /// <summary>Every POST declares the one media type it takes (JSON unless said otherwise); see <see cref="RequestGuard"/>.</summary>
    private static void Post(RouteGroupBuilder group, string pattern, RequestDelegate handler, BodyMediaType? mediaType = null) =>
        group.MapPost(pattern, handler).WithMetadata(mediaType ?? BodyMediaType.Json);

    private async Task HandleFailureAsync(HttpContext ctx, Exception e)
    {
        var (code, message) = e switch
        {
            ControlOperationException c => (c.Code, c.Message),
            JsonException j => (ErrorCode.MalformedRequest, $"malformed JSON: {j.Message}"),
            BadHttpRequestException { StatusCode: 413 } => (ErrorCode.BodyTooLarge,
                $"request body larger than {options.MaxRequestBodyBytes} bytes"),
            BadHttpRequestException b => (ErrorCode.MalformedRequest, b.Message),
            _ => (ErrorCode.Internal, "internal error; see the daemon's log"),
        };
        if (code == ErrorCode.Internal) ControlServerLog.RequestFailed(logger, e, ctx.Request.Method, ctx.Request.Path);
        if (ctx.Response.HasStarted)
        {
            ctx.Abort(); // mid-stream: the only honest signal left is to cut the connection
            return;
        }
        await WriteErrorAsync(ctx, code, message);
    }

    private static async Task WriteErrorAsync(HttpContext ctx, ErrorCode code, string message, (string Name, string Value)? header = null)
    {
        ctx.Response.Clear(); // headers too: a header of the answer goes in after
        if (header is { } h) ctx.Response.Headers[h.Name] = h.Value;
        ctx.Response.StatusCode = ApiError.HttpStatusOf(code);
        await WriteJsonAsync(ctx, ApiError.Of(code, message), Json.ApiError, ctx.Response.StatusCode);
    }

    private static Task WriteJsonAsync<T>(HttpContext ctx, T value, JsonTypeInfo<T> info, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(ctx.Response.Body, value, info, ctx.RequestAborted);
    }

    /// <summary>
    /// The request's JSON body. An action is only ever taken on a body (at least <c>{}</c>), never on a query string
    /// alone: a bodyless or query-only POST is what a link, an image or a form without fields can make a browser send.
    /// </summary>
    private static async Task<T> ReadBodyAsync<T>(HttpContext ctx, JsonTypeInfo<T> info) where T : class
    {
        var body = await ReadAllAsync(ctx);
        if (body.Length == 0)
            throw new ControlOperationException(ErrorCode.MalformedRequest, "the body must be a JSON object ({} at least)");
        return JsonSerializer.Deserialize(body, info)
            ?? throw new ControlOperationException(ErrorCode.MalformedRequest, "the body must be a JSON object");
    }

    private static async Task<byte[]> ReadAllAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        return buffer.ToArray();
    }

    private static string RouteName(HttpContext ctx) => (string)ctx.Request.RouteValues["name"]!;

    private static bool? QueryBool(HttpContext ctx, string key)
    {
        var value = ctx.Request.Query[key].ToString();
        if (value.Length == 0) return null;
        return value.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new ControlOperationException(ErrorCode.MalformedRequest, $"{key} must be true or false"),
        };
    }

    private static long QueryLong(HttpContext ctx, string key, long fallback)
    {
        var value = ctx.Request.Query[key].ToString();
        if (value.Length == 0) return fallback;
        return long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, null, out var n)
            ? n
            : throw new ControlOperationException(ErrorCode.MalformedRequest, $"{key} must be an integer");
    }

    private static int ParseSignal(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ControlOperationException(ErrorCode.BadArguments, "signal is required");
        // supervisord's signal_number takes 0 (Python's signal module has a SIG_* constant 0): kill(pid, 0), which
        // only checks that the process is there. Never a stopsignal, so the parser the config shares does not take it.
        if (text.Trim() == "0") return 0;
        return Signals.TryParse(text, out var signal)
            ? signal
            : throw new ControlOperationException(ErrorCode.BadSignal, $"bad signal name: {text}");
    }

    private Task Version(HttpContext ctx)
    {
        return WriteJsonAsync(ctx, new VersionResponse(options.ReportedVersion, 1, Environment.ProcessId), Json.VersionResponse);
    }

    private async Task ListProcesses(HttpContext ctx)
    {
        var now = DateTimeOffset.UtcNow;
        var list = await supervisor.GetProcessesAsync(ctx.RequestAborted);
        IReadOnlyList<ProcessInfo> infos = list.Select(p => ToInfo(p, now)).ToList();
        await WriteJsonAsync(ctx, infos, Json.IReadOnlyListProcessInfo);
    }

    private async Task GetProcess(HttpContext ctx)
    {
        var name = RouteName(ctx);
        var process = Find(await supervisor.GetProcessesAsync(ctx.RequestAborted), name)
            ?? throw new ControlOperationException(ErrorCode.BadName, $"no such process: {name}");
        await WriteJsonAsync(ctx, ToInfo(process, DateTimeOffset.UtcNow), Json.ProcessInfo);
    }

    private static ProcessSnapshot? Find(IReadOnlyList<ProcessSnapshot> processes, string name)
    {
        var spec = Namespec.Parse(name);
        return processes.FirstOrDefault(p => spec.Designates(p.Group, p.Name));
    }

    internal static ProcessInfo ToInfo(ProcessSnapshot p, DateTimeOffset now) => new(
        p.Name, p.Group, p.FullName, StateName(p.State), (int)p.State, p.Pid, p.StartedAt, p.StoppedAt, now,
        p.LastExit?.Code, p.LastExit?.Signal, p.ExitExpected, p.SpawnError, p.Description, p.StdoutLogfile, p.StderrLogfile)
    {
        DependsOn = p.DependsOn,
        WaitingFor = p.WaitingFor,
        DependencyFailure = p.DependencyFailure,
        Ready = p.Ready,
        Live = p.Live,
        HealthFailure = p.HealthFailure,
        NextRun = p.NextRun,
    };

    private static string StateName(ProcessState s) => s.ToString().ToUpperInvariant();

    private Task Start(HttpContext ctx) => ActAsync(ctx, (names, req, ct) => supervisor.StartAsync(names, req.Wait ?? true, ct));
    private Task Stop(HttpContext ctx) => ActAsync(ctx, (names, req, ct) => supervisor.StopAsync(names, req.Wait ?? true, ct));
    private Task Restart(HttpContext ctx) => ActAsync(ctx, (names, req, ct) => supervisor.RestartAsync(names, req.Wait ?? true, ct));
    private Task Signal(HttpContext ctx) => ActAsync(ctx, (names, req, ct) => supervisor.SignalAsync(names, ParseSignal(req.Signal), ct));
    private Task Clear(HttpContext ctx) => ActAsync(ctx, (names, _, ct) => supervisor.ClearLogsAsync(names, ct));
    private Task Update(HttpContext ctx) => GroupsAsync(ctx, (groups, ct) => configuration.UpdateAsync(groups, ct));
    private Task Add(HttpContext ctx) => GroupsAsync(ctx, (groups, ct) => EachGroupAsync(groups, configuration.AddGroupAsync, ct));
    private Task Remove(HttpContext ctx) => GroupsAsync(ctx, (groups, ct) => EachGroupAsync(groups, configuration.RemoveGroupAsync, ct));

    private async Task ActAsync(HttpContext ctx,
        Func<IReadOnlyList<string>, ProcessCommandRequest, CancellationToken, Task<IReadOnlyList<OperationResult>>> operation)
    {
        var request = await ReadBodyAsync(ctx, Json.ProcessCommandRequest);
        var names = request.Names ?? [];
        if (names.Count == 0 || names.Any(string.IsNullOrWhiteSpace))
            throw new ControlOperationException(ErrorCode.BadArguments, "names must list at least one process name");
        var results = await operation(names, request, ctx.RequestAborted);
        IReadOnlyList<ProcessCommandResult> body = results.Select(r => new ProcessCommandResult(
            r.Name, r.Ok, r.Error, r.Error is { } e ? ApiError.NameOf(e) : null, r.Message, r.Unknown switch
            {
                NameScope.Group => ProcessCommandResult.UnknownGroup,
                NameScope.Process => ProcessCommandResult.UnknownProcess,
                _ => null,
            })).ToList();
        await WriteJsonAsync(ctx, new ProcessCommandResponse(body), Json.ProcessCommandResponse);
    }

    private async Task LogAsync(HttpContext ctx, string? name)
    {
        var streamText = ctx.Request.Query["stream"].ToString();
        var stream = streamText switch
        {
            "" or "stdout" => LogStream.Stdout,
            "stderr" => LogStream.Stderr,
            _ => throw new ControlOperationException(ErrorCode.BadArguments, $"bad channel {streamText}: use stdout or stderr"),
        };
        var offset = QueryLong(ctx, "offset", -1600);
        var length = QueryLong(ctx, "length", 0);
        if (length is < 0 or > int.MaxValue)
            throw new ControlOperationException(ErrorCode.BadArguments, "length out of range");
        if (QueryBool(ctx, "follow") != true)
        {
            var slice = await logs.ReadAsync(name, stream, offset, (int)length, ctx.RequestAborted);
            var text = Encoding.UTF8.GetString(slice.Data.Span);
            await WriteJsonAsync(ctx, new LogSliceResponse(name ?? "taskmasterd", stream == LogStream.Stdout ? "stdout" : "stderr",
                slice.NextOffset, slice.Overflow, text), Json.LogSliceResponse);
            return;
        }
        // Validate first so a bad name or a missing file is a proper error, not a stream that never starts.
        await logs.ReadAsync(name, stream, -1, 0, ctx.RequestAborted);
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.StartAsync(ctx.RequestAborted);
        // StartAsync only queues the headers: without a flush a client following a log that stays empty (a process
        // that never writes to stderr) waits for them forever, and fg, which follows both streams, never starts.
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        using var follower = _followers.Enter();
        await foreach (var chunk in logs.FollowAsync(name, stream, offset, ctx.RequestAborted))
        {
            await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
    }

    private async Task Stdin(HttpContext ctx)
    {
        var name = RouteName(ctx);
        if (options.Input is null)
            throw new ControlOperationException(ErrorCode.Unsupported, "this daemon does not forward stdin");
        var data = await ReadAllAsync(ctx);
        var result = await options.Input.WriteStdinAsync(name, data, ctx.RequestAborted);
        if (result.Status == StdinWriteStatus.Written)
        {
            await WriteJsonAsync(ctx, new AcceptedResponse("written"), Json.AcceptedResponse);
            return;
        }
        // supervisord's sendProcessStdin faults, plus INPUT_FULL for a child that does not read.
        throw result.Status switch
        {
            StdinWriteStatus.BadName => new ControlOperationException(ErrorCode.BadName, $"no such process: {name}"),
            StdinWriteStatus.NotRunning => new ControlOperationException(ErrorCode.NotRunning, $"{result.Name} is not running"),
            StdinWriteStatus.Closed => new ControlOperationException(ErrorCode.NoFile, $"{result.Name} has closed its stdin"),
            StdinWriteStatus.Full => new ControlOperationException(ErrorCode.InputFull,
                $"stdin of {result.Name} is full, the process is not reading it ({result.Written} of {data.Length} bytes sent)"),
            _ => new ControlOperationException(ErrorCode.Internal, $"unexpected stdin outcome {result.Status}"),
        };
    }

    private async Task Programs(HttpContext ctx)
    {
        IReadOnlyList<ProgramInfo> programs;
        if (options.Programs is not null)
        {
            programs = await options.Programs.GetProgramsAsync(ctx.RequestAborted);
        }
        else
        {
            // Without the configuration view, report what is loaded; priorities and autostart are unknown here.
            var processes = await supervisor.GetProcessesAsync(ctx.RequestAborted);
            programs = processes.Select(p => new ProgramInfo(p.Name, p.Group, p.Group, true, true, Taskmaster.Config.GroupConfig.DefaultPriority, Taskmaster.Config.GroupConfig.DefaultPriority)).ToList();
        }
        await WriteJsonAsync(ctx, programs, Json.IReadOnlyListProgramInfo);
    }

    private async Task Reread(HttpContext ctx)
    {
        await ReadBodyAsync(ctx, Json.EmptyRequest);
        var result = await configuration.RereadAsync(ctx.RequestAborted);
        if (result.Changes is null)
            throw new ControlOperationException(ErrorCode.CantReread, string.Join('\n', result.Errors));
        await WriteJsonAsync(ctx, new RereadResponse(result.Changes.Added, result.Changes.Changed, result.Changes.Removed)
        {
            RestartRequired = result.RestartRequired,
        }, Json.RereadResponse);
    }

    private async Task GroupsAsync(HttpContext ctx, Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<GroupUpdateResult>>> operation)
    {
        var request = await ReadBodyAsync(ctx, Json.GroupsRequest);
        var groups = request.Groups ?? [];
        var results = await operation(groups, ctx.RequestAborted);
        IReadOnlyList<GroupCommandResult> body = results.Select(r => new GroupCommandResult(r.Group, GroupUpdateWording.Of(r), r.Error is null,
            r.Error, r.Error is { } e ? ApiError.NameOf(e) : null, r.Message)).ToList();
        await WriteJsonAsync(ctx, new GroupCommandResponse(body), Json.GroupCommandResponse);
    }

    private static async Task<IReadOnlyList<GroupUpdateResult>> EachGroupAsync(IReadOnlyList<string> groups,
        Func<string, CancellationToken, Task<GroupUpdateResult>> operation, CancellationToken ct)
    {
        if (groups.Count == 0)
            throw new ControlOperationException(ErrorCode.BadArguments, "groups must list at least one group");
        var results = new List<GroupUpdateResult>(groups.Count);
        foreach (var group in groups) results.Add(await operation(group, ct));
        return results;
    }

    private async Task Reload(HttpContext ctx)
    {
        await ReadBodyAsync(ctx, Json.EmptyRequest);
        if (options.Shutdown.HasBegun)
            throw new ControlOperationException(ErrorCode.ShutdownState, "already shutting down");
        // Answer first, like supervisord: the reload stops every program and may outlast the client's patience.
        RunInBackground("reload", () => configuration.ReloadAsync(CancellationToken.None));
        await WriteJsonAsync(ctx, new AcceptedResponse("reloading"), Json.AcceptedResponse);
    }

    private async Task Shutdown(HttpContext ctx)
    {
        await ReadBodyAsync(ctx, Json.EmptyRequest);
        if (!options.Shutdown.TryBegin())
            throw new ControlOperationException(ErrorCode.ShutdownState, "already shutting down");
        RunInBackground("shutdown", async () =>
        {
            try { await supervisor.ShutdownAsync(CancellationToken.None); }
            finally { options.ShutdownCompleted?.Invoke(); }
        });
        await WriteJsonAsync(ctx, new AcceptedResponse("shutting down"), Json.AcceptedResponse);
    }

    private void RunInBackground(string operation, Func<Task> work) =>
        _ = Task.Run(async () =>
        {
            try { await work(); }
            catch (Exception e) { ControlServerLog.BackgroundFailed(logger, e, operation); }
        });

    /// <summary>
    /// The event stream. Without <c>type</c>: every state change (<c>event: state</c>). With <c>type</c> (repeated or a
    /// comma list of supervisor's names, abstract ones too; <c>EVENT</c> = all): every supervisor event of those types,
    /// as listeners get them (<c>event: supervisor</c>). <c>name</c> (repeatable: <c>web</c>, <c>group:web</c>,
    /// <c>group:*</c>) keeps the events about those processes or groups. A GET that only reads: no action.
    /// </summary>
    private async Task Events(HttpContext ctx)
    {
        var typeWords = ctx.Request.Query["type"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        var names = ctx.Request.Query["name"].Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()).ToList();
        var types = EventType.None;
        foreach (var word in typeWords)
            types |= EventTypeNames.TryParse(word, out var type) ? type
                : throw new ControlOperationException(ErrorCode.BadArguments, $"unknown event type '{word}'");
        if (typeWords.Count > 0)
        {
            await SupervisorEvents(ctx, types, names);
            return;
        }
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.StartAsync(ctx.RequestAborted);
        // A comment line tells the client the subscription is live before the first change arrives.
        await ctx.Response.Body.WriteAsync(": subscribed\n\n"u8.ToArray(), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await foreach (var change in supervisor.WatchAsync(ctx.RequestAborted))
        {
            if (names.Count > 0 && !NameMatches(names, change.Name, change.Group)) continue;
            var fullName = Namespec.Format(change.Group, change.Name);
            var h = change.Health;
            if (change is ProcessStateChange s)
                await WriteFrameAsync(ctx, StateFrame, JsonSerializer.SerializeToUtf8Bytes(new StateChangeEvent(s.Name, s.Group, fullName,
                    StateName(s.From), StateName(s.To), s.Pid, s.At, h?.Ready, h?.Live, h?.HealthFailure, h?.WaitingFor, h?.DependencyFailure),
                    Json.StateChangeEvent));
            else if (change is ProcessHealthChange c)
                await WriteFrameAsync(ctx, HealthFrame, JsonSerializer.SerializeToUtf8Bytes(new HealthChangeEvent(c.Name, c.Group, fullName,
                    StateName(c.State), c.Pid, c.At, h?.Ready, h?.Live, h?.HealthFailure, h?.WaitingFor, h?.DependencyFailure),
                    Json.HealthChangeEvent));
        }
    }

    private async Task SupervisorEvents(HttpContext ctx, EventType types, List<string> names)
    {
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        // Subscribed before the first byte goes out, so a client that saw ": subscribed" misses nothing after it.
        var events = supervisor.WatchEventsAsync(types, ctx.RequestAborted);
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync(": subscribed\n\n"u8.ToArray(), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await foreach (var e in events)
        {
            if (names.Count > 0 && !NameMatches(names, e.Name, e.Group)) continue;
            var (fields, data) = SupervisorEventMessage.Split(e.Payload);
            var message = new SupervisorEventMessage(e.Serial < 0 ? null : e.Serial, e.TypeName, e.Name, e.Group, e.At, fields, data, e.Payload);
            await WriteFrameAsync(ctx, SupervisorFrame, JsonSerializer.SerializeToUtf8Bytes(message, Json.SupervisorEventMessage));
        }
    }

    private static readonly byte[] StateFrame = "event: state\ndata: "u8.ToArray(), HealthFrame = "event: health\ndata: "u8.ToArray(),
        SupervisorFrame = "event: supervisor\ndata: "u8.ToArray();

    private static async Task WriteFrameAsync(HttpContext ctx, byte[] head, byte[] json)
    {
        using var frame = new MemoryStream(json.Length + 32);
        frame.Write(head);
        frame.Write(json);
        frame.Write("\n\n"u8);
        await ctx.Response.Body.WriteAsync(frame.GetBuffer().AsMemory(0, (int)frame.Length), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    /// <summary>A <c>name</c> filter, as supervisorctl reads names: <c>web</c> (the process web:web, or the group
    /// web), <c>group:web</c>, <c>group:*</c>. Events about no process or group (ticks) never match one.</summary>
    private static bool NameMatches(List<string> names, string? name, string? group)
    {
        foreach (var n in names)
        {
            if (group is not null && (n == group || n == group + ":*")) return true;
            if (name is not null && group is not null && (n == name || n == Namespec.Format(group, name))) return true;
        }
        return false;
    }
}
