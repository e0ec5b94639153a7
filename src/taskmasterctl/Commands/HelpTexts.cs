namespace Taskmaster.Ctl.Commands;

/// <summary>The help of every command, in supervisorctl's layout (tab-separated usage, one line each).</summary>
internal static class HelpTexts
{
    public static readonly IReadOnlyDictionary<string, string> ByCommand = new Dictionary<string, string>
    {
        ["add"] = "add <name> [...]\tActivates any updates in config for process/group",
        ["avail"] = "avail\t\t\tDisplay all configured processes",
        ["clear"] = "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files",
        ["exit"] = "exit\tExit the taskmaster shell.",
        ["fg"] = "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit\n\t\t(typed lines are sent to the process's stdin; Ctrl-D exits too)",
        ["help"] = "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>",
        ["list"] = "list\t\t\tList every program: group, instances running/total, state summary, autostart",
        ["maintail"] = "maintail -f \tContinuous tail of taskmasterd main log file (Ctrl-C to exit)\nmaintail -100\tlast 100 *bytes* of taskmasterd main log file\nmaintail\tlast 1600 *bytes* of taskmasterd main log file",
        ["open"] = "open <url>\tConnect to a remote taskmasterd process.\n\t\t(for UNIX domain socket, use unix:///socket/path)",
        ["pid"] = "pid\t\t\tGet the PID of taskmasterd.\npid <name>\t\tGet the PID of a single child process by name.\npid all\t\t\tGet the PID of every child process, one per line.",
        ["quit"] = "quit\tExit the taskmaster shell.",
        ["reload"] = "reload \t\tRestart the remote taskmasterd.",
        ["remove"] = "remove <name> [...]\tRemoves process/group from active config",
        ["reread"] = "reread \t\t\tReload the daemon's configuration files without add/remove",
        ["restart"] = "restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\nrestart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\nNote: restart does not reread config files. For that, see reread and update.",
        ["shutdown"] = "shutdown \tShut the remote taskmasterd down.",
        ["signal"] = "signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\nsignal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes",
        ["start"] = "start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\nstart <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes",
        ["status"] = "status <name>\t\tGet status for a single process\nstatus <gname>:*\tGet status for all processes in a group\nstatus <name> <name>\tGet status for multiple named processes\nstatus\t\t\tGet all process status info",
        ["stop"] = "stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\nstop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes",
        ["tail"] = "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr",
        ["update"] = "update\t\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate all\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate <gname> [...]\tUpdate specific groups",
        ["version"] = "version\t\t\tShow the version of the remote taskmasterd process",
    };

    /// <summary>Every command, sorted, for the help listing and completion.</summary>
    public static readonly IReadOnlyList<string> Commands = ByCommand.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The "documented commands" table of <c>help</c>, laid out like Python's <c>cmd.columnize</c> (the fewest rows
    /// whose columns, two spaces apart, fit in 79 characters; filled column by column) so it reads like
    /// supervisorctl's. <c>help</c> itself is not listed there, as in supervisorctl.
    /// </summary>
    public static string Overview()
    {
        const string header = "default commands (type help <topic>):";
        const int displayWidth = 79;
        var items = Commands.Where(c => c != "help").ToList();
        int rows = 1;
        List<int> widths = [];
        for (; rows <= items.Count; rows++)
        {
            widths = Enumerable.Range(0, (items.Count + rows - 1) / rows)
                .Select(col => items.Skip(col * rows).Take(rows).Max(c => c.Length)).ToList();
            if (widths.Sum() + 2 * (widths.Count - 1) <= displayWidth) break;
        }
        var sb = new System.Text.StringBuilder();
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
