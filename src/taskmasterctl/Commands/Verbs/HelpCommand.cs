using System.Text;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's help: the table of verbs, or one verb's help.</summary>
internal sealed class HelpCommand : ICtlCommand
{
    public string Name => "help";

    public string Help => "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>";

    public Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        ctx.Output.Say(args.Count == 0 ? Overview()
            : CommandTable.Find(args[0]) is { } command ? command.Help
            : $"*** No help on {args[0]}");
        return Task.CompletedTask;
    }

    /// <summary>
    /// The "documented commands" table, laid out like Python's <c>cmd.columnize</c> (the fewest rows whose columns, two
    /// spaces apart, fit in 79 characters; filled column by column) so it reads like supervisorctl's. <c>help</c>
    /// itself is not listed there, as in supervisorctl.
    /// </summary>
    private static string Overview()
    {
        const string header = "default commands (type help <topic>):";
        const int displayWidth = 79;
        var items = CommandTable.Names.Where(c => c != "help").ToList();
        int rows = 1;
        List<int> widths = [];
        for (; rows <= items.Count; rows++)
        {
            widths = Enumerable.Range(0, (items.Count + rows - 1) / rows)
                .Select(col => items.Skip(col * rows).Take(rows).Max(c => c.Length)).ToList();
            if (widths.Sum() + 2 * (widths.Count - 1) <= displayWidth) break;
        }
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(header);
        sb.AppendLine(new string('=', header.Length));
        for (var row = 0; row < rows; row++)
        {
            var cells = Enumerable.Range(0, widths.Count)
                .Where(col => col * rows + row < items.Count)
                .Select(col => items[col * rows + row].PadRight(widths[col]));
            sb.AppendLine(string.Join("  ", cells).TrimEnd());
        }
        return sb.ToString();
    }
}
