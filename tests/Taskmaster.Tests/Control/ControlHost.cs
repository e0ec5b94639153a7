using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Daemon.Control;

namespace Taskmaster.Tests.Control;

/// <summary>
/// The control server hosted in the test process on a temp-dir socket, backed by <see cref="FakeSupervisor"/>,
/// plus a runner for the real taskmasterctl binary (built next to the tests). Disposing stops the server and
/// deletes the directory.
/// </summary>
internal sealed class ControlHost : IAsyncDisposable
{
    public string Dir { get; }
    public string SocketPath { get; }
    public string DaemonLog { get; }
    public FakeSupervisor Fake { get; }
    public ControlServer Server { get; private set; } = null!;
    public string Url => "unix://" + SocketPath;

    private ControlHost(string dir)
    {
        Dir = dir;
        SocketPath = Path.Combine(dir, "tm.sock");
        DaemonLog = Path.Combine(dir, "taskmasterd.log");
        File.WriteAllText(DaemonLog, "2025-01-01 00:00:00,000 INFO spawned: 'web' with pid 1234\n");
        Fake = new FakeSupervisor(dir);
    }

    public static async Task<ControlHost> StartAsync(Func<ControlServerOptions, ControlServerOptions>? configure = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var dir = Directory.CreateTempSubdirectory("tmctl-").FullName;
        var host = new ControlHost(dir);
        var options = new ControlServerOptions { Unix = new UnixHttpServerSettings { File = host.SocketPath }, Version = "9.8.7" };
        if (configure is not null) options = configure(options);
        try
        {
            host.Server = await ControlServer.StartAsync(options, host.Fake, host.Fake,
                new FileProcessLogs(host.Fake, host.DaemonLog, new TickingLogWriteNotifier()), loggerFactory);
        }
        catch
        {
            Directory.Delete(dir, true);
            throw;
        }
        return host;
    }

    public ControlClient Client() => new(new ServerAddress(Url, SocketPath, new Uri("http://localhost/")));

    public static string CtlDll => Path.Combine(AppContext.BaseDirectory, "taskmasterctl.dll");

    /// <summary>Runs taskmasterctl with <c>-s</c> this host's socket (unless <paramref name="raw"/>), stdin closed.</summary>
    public Task<CtlResult> RunCtlAsync(params string[] args) => RunAsync(["-s", Url, .. args]);

    public static Task<CtlResult> RunAsync(IReadOnlyList<string> args, string? stdin = null, TimeSpan? timeout = null) =>
        ProgramRun.RunAsync(CtlDll, args, stdin, timeout: timeout,
            environment: new Dictionary<string, string> { ["NO_COLOR"] = "1", ["HOME"] = Path.GetTempPath() });

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

/// <summary>What a taskmasterctl run printed and returned.</summary>
internal sealed record CtlResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
