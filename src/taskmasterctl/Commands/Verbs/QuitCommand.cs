namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's quit and exit (two names, one verb): leave the shell.</summary>
internal sealed class QuitCommand(string name) : ICtlCommand
{
    public string Name => name;

    public string Help => $"{name}\tExit the taskmaster shell.";

    public Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        ctx.End();
        return Task.CompletedTask;
    }
}
