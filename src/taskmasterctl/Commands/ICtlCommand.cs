namespace Taskmaster.Ctl.Commands;

/// <summary>
/// One taskmasterctl verb, everything about it in one file as supervisorctl keeps a <c>do_x</c> and a <c>help_x</c>
/// side by side: its name, its help, what its arguments complete to, and what it does.
/// </summary>
internal interface ICtlCommand
{
    /// <summary>The word typed: <c>status</c>, <c>stop</c>, ...</summary>
    string Name { get; }

    /// <summary>supervisorctl's help layout: one line per form, usage, tabs, then what it does.</summary>
    string Help { get; }

    /// <summary>What tab completion offers for the argument at <paramref name="position"/> (0: the first after the verb).</summary>
    ArgumentKind ArgumentAt(int position) => ArgumentKind.None;

    /// <summary>Runs with the arguments after the verb, exactly as given (one-shot argv is never re-split). Prints
    /// through <see cref="CtlContext.Output"/> and records failures with <see cref="CtlContext.Fail(int)"/>.</summary>
    Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct);

    /// <summary>
    /// The exit status when the daemon cannot be reached, as supervisorctl 4.2.5 exits: 7 (NOTRUNNING) for most verbs;
    /// 4 for <c>status</c>; 1 for the verbs whose call it does not guard (<c>reread</c>, <c>avail</c>, <c>update</c>,
    /// <c>add</c>, <c>remove</c>, <c>reload</c>), where it ends on an uncaught error; 0 for <c>open</c>.
    /// </summary>
    int UnreachableExit => ExitCodes.NotRunning;
}
