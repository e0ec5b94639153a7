using Taskmaster.Ctl.Commands.Verbs;

namespace Taskmaster.Ctl.Commands;

/// <summary>Every verb taskmasterctl knows, by name: what the dispatcher runs, <c>help</c> lists and the shell completes.</summary>
internal static class CommandTable
{
    private static readonly Dictionary<string, ICtlCommand> ByName = new ICtlCommand[]
    {
        new AddCommand(), new AvailCommand(), new ClearCommand(), new DashboardCommand(), new EventsCommand(), new QuitCommand("exit"), new ForegroundCommand(),
        new HelpCommand(), new ListCommand(), new MaintailCommand(), new OpenCommand(), new PidCommand(),
        new QuitCommand("quit"), new ReloadCommand(), new RemoveCommand(), new RereadCommand(), new RestartCommand(),
        new ShutdownCommand(), new DepsCommand(), new SignalCommand(), new StartCommand(), new StatusCommand(), new StopCommand(),
        new TailCommand(), new UpdateCommand(), new VersionCommand(),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Every verb's name, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = ByName.Keys.Order(StringComparer.Ordinal).ToList();

    public static ICtlCommand? Find(string name) => ByName.GetValueOrDefault(name);
}
