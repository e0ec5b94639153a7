using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>
/// Typed client of the /api/v1 control API over a Unix socket (HTTP/1.1 through
/// <see cref="SocketsHttpHandler.ConnectCallback"/>) or TCP with Basic authentication. Each call opens
/// connections on demand, so a client outlives a daemon restart: the next call simply reconnects.
/// </summary>
public sealed class ControlClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ServerAddress _address;

    public ControlClient(ServerAddress address, string? username = null, string? password = null, TimeSpan? timeout = null)
    {
        _address = address;
        var handler = new SocketsHttpHandler
        {
            // Short-lived pooled connections: a daemon restart leaves no dead connection to trip over.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (address.SocketPath is { } path)
            handler.ConnectCallback = (_, ct) => ConnectUnixAsync(path, ct);
        _http = new HttpClient(handler)
        {
            BaseAddress = address.BaseUri,
            // Following logs and waiting starts can legitimately take long; callers pass their own tokens.
            Timeout = timeout ?? Timeout.InfiniteTimeSpan,
        };
        if (username is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
    }

    public ServerAddress Address => _address;

    private async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
            if (UntrustedServer(socket) is { } why)
            {
                socket.Dispose();
                throw new ControlUnreachableException($"{_address.Url} {why}");
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var why = !File.Exists(path) ? "no such file"
                : e.SocketErrorCode == SocketError.AccessDenied ? "permission denied"
                : "refused connection";
            throw new ControlUnreachableException($"{_address.Url} {why}", e);
        }
    }

    /// <summary>
    /// Why the server at the other end of <paramref name="socket"/> is not to be believed, or null. Only a server
    /// running as us or as root is: a user who could put their own socket at the path (a directory of theirs, a
    /// stale name in /tmp) must not feed a root client an answer. The kernel's SO_PEERCRED names the process that
    /// listens, whoever owns the file.
    /// </summary>
    private static string? UntrustedServer(Socket socket)
    {
        const int SolSocket = 1, SoPeercred = 17; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        if (socket.GetRawSocketOption(SolSocket, SoPeercred, credentials) != credentials.Length)
            return "does not say who serves it";
        var serverUid = BitConverter.ToUInt32(credentials[4..8]);
        var euid = Posix.Identity.GetEuid();
        return serverUid == euid || serverUid == 0 ? null
            : $"is served by uid {serverUid}, neither this user (uid {euid}) nor root: refusing to trust it";
    }

    public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken ct = default) =>
        GetAsync("api/v1/processes", ControlJsonContext.Default.IReadOnlyListProcessInfo, ct);

    public Task<ProcessInfo> GetProcessAsync(string name, CancellationToken ct = default) =>
        GetAsync($"api/v1/processes/{PathSegment(name)}", ControlJsonContext.Default.ProcessInfo, ct);

    public Task<IReadOnlyList<ProgramInfo>> GetProgramsAsync(CancellationToken ct = default) =>
        GetAsync("api/v1/programs", ControlJsonContext.Default.IReadOnlyListProgramInfo, ct);

    public Task<VersionResponse> GetVersionAsync(CancellationToken ct = default) =>
        GetAsync("api/v1/version", ControlJsonContext.Default.VersionResponse, ct);

    public Task<ProcessCommandResponse> StartAsync(IReadOnlyList<string> names, bool wait = true, CancellationToken ct = default) =>
        ActAsync("start", new ProcessCommandRequest { Names = names, Wait = wait }, ct);

    public Task<ProcessCommandResponse> StopAsync(IReadOnlyList<string> names, bool wait = true, CancellationToken ct = default) =>
        ActAsync("stop", new ProcessCommandRequest { Names = names, Wait = wait }, ct);

    public Task<ProcessCommandResponse> RestartAsync(IReadOnlyList<string> names, bool wait = true, CancellationToken ct = default) =>
        ActAsync("restart", new ProcessCommandRequest { Names = names, Wait = wait }, ct);

    public Task<ProcessCommandResponse> SignalAsync(IReadOnlyList<string> names, string signal, CancellationToken ct = default) =>
        ActAsync("signal", new ProcessCommandRequest { Names = names, Signal = signal }, ct);

    public Task<ProcessCommandResponse> ClearAsync(IReadOnlyList<string> names, CancellationToken ct = default) =>
        ActAsync("clear", new ProcessCommandRequest { Names = names }, ct);

    public Task<RereadResponse> RereadAsync(CancellationToken ct = default) =>
        PostAsync("api/v1/reread", JsonContent(new EmptyRequest(), ControlJsonContext.Default.EmptyRequest), ControlJsonContext.Default.RereadResponse, ct);

    public Task<GroupCommandResponse> UpdateAsync(IReadOnlyList<string> groups, CancellationToken ct = default) =>
        GroupsAsync("update", groups, ct);

    public Task<GroupCommandResponse> AddAsync(IReadOnlyList<string> groups, CancellationToken ct = default) =>
        GroupsAsync("add", groups, ct);

    public Task<GroupCommandResponse> RemoveAsync(IReadOnlyList<string> groups, CancellationToken ct = default) =>
        GroupsAsync("remove", groups, ct);

    public Task<AcceptedResponse> ReloadAsync(CancellationToken ct = default) =>
        PostAsync("api/v1/reload", JsonContent(new EmptyRequest(), ControlJsonContext.Default.EmptyRequest), ControlJsonContext.Default.AcceptedResponse, ct);

    public Task<AcceptedResponse> ShutdownAsync(CancellationToken ct = default) =>
        PostAsync("api/v1/shutdown", JsonContent(new EmptyRequest(), ControlJsonContext.Default.EmptyRequest), ControlJsonContext.Default.AcceptedResponse, ct);

    /// <summary>Reads a slice of a process's log, or of the daemon's log when <paramref name="name"/> is null.</summary>
    public Task<LogSliceResponse> ReadLogAsync(string? name, LogStream stream, long offset, int length, CancellationToken ct = default) =>
        GetAsync($"{LogPath(name)}?stream={StreamName(stream)}&offset={offset}&length={length}",
            ControlJsonContext.Default.LogSliceResponse, ct);

    /// <summary>Opens a chunked stream of a log from <paramref name="offset"/> on; it ends when <paramref name="ct"/> is cancelled.</summary>
    public async Task<Stream> FollowLogAsync(string? name, LogStream stream, long offset, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{LogPath(name)}?stream={StreamName(stream)}&offset={offset}&follow=true");
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows the event stream for <paramref name="types"/> (supervisor's names) until <paramref name="ct"/> is
    /// cancelled or the daemon ends it: one message per <c>event: supervisor</c> frame.
    /// </summary>
    public async IAsyncEnumerable<SupervisorEventMessage> WatchEventsAsync(IReadOnlyList<string> types, IReadOnlyList<string> names,
        Action? subscribed = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var query = string.Join("&", types.Select(t => "type=" + Uri.EscapeDataString(t)).Concat(names.Select(n => "name=" + Uri.EscapeDataString(n))));
        var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/events?{query}");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            // The server's first line: from here on, no event is missed.
            if (line == ": subscribed") subscribed?.Invoke();
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            if (System.Text.Json.JsonSerializer.Deserialize(line.AsSpan(6), ControlJsonContext.Default.SupervisorEventMessage) is { } message)
                yield return message;
        }
    }

    /// <summary>Sends bytes to a running process's stdin (fg).</summary>
    public async Task WriteStdinAsync(string name, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var content = new ReadOnlyMemoryContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/processes/{PathSegment(name)}/stdin") { Content = content };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    private static string LogPath(string? name) =>
        name is null ? "api/v1/log" : $"api/v1/processes/{PathSegment(name)}/log";

    private static string StreamName(LogStream s) => s == LogStream.Stdout ? "stdout" : "stderr";

    private Task<ProcessCommandResponse> ActAsync(string verb, ProcessCommandRequest body, CancellationToken ct) =>
        PostAsync($"api/v1/processes/{verb}",
            JsonContent(body, ControlJsonContext.Default.ProcessCommandRequest),
            ControlJsonContext.Default.ProcessCommandResponse, ct);

    private Task<GroupCommandResponse> GroupsAsync(string verb, IReadOnlyList<string> groups, CancellationToken ct) =>
        PostAsync($"api/v1/{verb}", JsonContent(new GroupsRequest { Groups = groups }, ControlJsonContext.Default.GroupsRequest),
            ControlJsonContext.Default.GroupCommandResponse, ct);

    private static ByteArrayContent JsonContent<T>(T body, JsonTypeInfo<T> info)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, info));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> info, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await ReadAsync(response, info, ct).ConfigureAwait(false);
    }

    private async Task<T> PostAsync<T>(string path, HttpContent content, JsonTypeInfo<T> info, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await ReadAsync(response, info, ct).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> info, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, info, ct).ConfigureAwait(false)
            ?? throw new ControlApiException(ApiError.Of(ErrorCode.Internal, "empty response"), (int)response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is ControlUnreachableException u)
        {
            throw new ControlUnreachableException(u.Message, e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError || e.InnerException is SocketException)
        {
            throw new ControlUnreachableException($"{_address.Url} refused connection", e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            // supervisord answers every path it does not serve with an HTML 404 from its Medusa server: say who is there.
            if (response.Headers.Server.ToString() is var server && server.StartsWith("Medusa", StringComparison.Ordinal))
                throw new ControlUnreachableException(
                    $"{_address.Url} is served by supervisord ({server}), not taskmasterd: supervisorctl speaks to it; "
                    + "point taskmasterctl at taskmasterd's socket (-s URL, or serverurl=)");
            ApiError? error = null;
            try
            {
                var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                error = JsonSerializer.Deserialize(body, ControlJsonContext.Default.ApiError);
            }
            catch (JsonException) { }
            error ??= ApiError.Of(response.StatusCode == HttpStatusCode.Unauthorized ? ErrorCode.Unauthorized : ErrorCode.Internal,
                $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            throw new ControlApiException(error, (int)response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// A name as one path segment. A name of <c>..</c> would be removed with the segment before it by URI
    /// normalisation (<c>processes/../log</c> is the daemon's own log), even escaped as %2E%2E,
    /// and System.Uri unescapes %2E before it does so. No process can be named <c>.</c> or <c>..</c> (the config
    /// loader refuses them), so such a name is answered here as the daemon would answer any unknown name.
    /// </summary>
    private static string PathSegment(string name) => name is "." or ".."
        ? throw new ControlApiException(ApiError.Of(ErrorCode.BadName, $"no such process: {name}"), 404)
        : Uri.EscapeDataString(name);
}
