using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// What every verb works with, for one one-shot invocation or a whole shell session: the daemon's client (which
/// <c>open</c> and a login may replace), the output writer, and the exit status, which accumulates as
/// supervisorctl's does (the last failure wins).
/// </summary>
internal sealed class CtlContext : IDisposable
{
    public CtlContext(ServerSettings settings, ResultWriter output)
    {
        Settings = settings;
        Output = output;
        Client = Connect(settings);
    }

    public ServerSettings Settings { get; private set; }

    public ControlClient Client { get; private set; }

    public ResultWriter Output { get; }

    public int ExitStatus { get; set; }

    /// <summary>Set in the shell: reload/shutdown ask first, and fg forwards typed lines only from a terminal.</summary>
    public bool Interactive { get; init; }

    /// <summary>Asks a yes/no question in the shell; a null answer means no.</summary>
    public Func<string, string?>? Ask { get; set; }

    /// <summary>
    /// Set by the shell: asks for a username and password when the server answers 401, as supervisorctl's shell
    /// does; null (Ctrl-D) gives up. Without it a 401 is a plain error.
    /// </summary>
    public Func<(string Username, string Password)?>? AskCredentials { get; set; }

    /// <summary>Set by <c>quit</c>/<c>exit</c>: the shell ends after this command.</summary>
    public bool Ended { get; private set; }

    public void End() => Ended = true;

    public void Fail(int status) => ExitStatus = status;

    /// <summary>Records a fault's exit status (<see cref="FaultTable"/>), unless it is the one the verb ignores.</summary>
    public void Fail(ErrorCode code, ErrorCode? ignored = null)
    {
        if (code != ignored) ExitStatus = FaultTable.ExitStatus(code);
    }

    /// <summary>A usage error: the message, the verb's help, and supervisorctl's status for it (1, except <c>start</c>
    /// without a name: 2, which scripts test for).</summary>
    public void Usage(ICtlCommand command, string message, int status = ExitCodes.Error)
    {
        Output.Say(message);
        Output.Say(command.Help);
        ExitStatus = status;
    }

    public bool Confirm(string question) =>
        Ask?.Invoke(question)?.Trim().StartsWith("y", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Talks to the server of <paramref name="settings"/> (another url, other credentials) from now on.</summary>
    public void Reconnect(ServerSettings settings)
    {
        Client.Dispose();
        Settings = settings;
        Client = Connect(settings);
    }

    private static ControlClient Connect(ServerSettings s) =>
        ServerAddress.TryParse(s.ServerUrl, out var address)
            ? new ControlClient(address, s.Username, s.Password)
            : throw new ArgumentException($"bad server url {s.ServerUrl}: use unix:///path or http://host:port");

    public void Dispose() => Client.Dispose();
}
