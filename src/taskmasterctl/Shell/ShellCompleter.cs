using Taskmaster.Ctl.Commands;
using Taskmaster.Names;

namespace Taskmaster.Ctl.Shell;

/// <summary>
/// Tab completion: command names at the start of a line, then process names (<c>group:name</c>, <c>group:*</c>,
/// <c>all</c>) or group names, as the verb says of each argument (<see cref="ICtlCommand.ArgumentAt"/>). Names come fresh from the daemon at each Tab, so they
/// follow reloads; if the daemon does not answer quickly, there is simply nothing to complete.
/// </summary>
internal sealed class ShellCompleter(Func<CancellationToken, Task<IReadOnlyList<(string Group, string FullName)>>> fetchProcesses)
{
    /// <param name="before">The line up to the word being completed.</param>
    /// <param name="word">The partial word.</param>
    public IReadOnlyList<string> Complete(string before, string word)
    {
        var words = before.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var candidates = words.Length == 0 || (words.Length == 1 && words[0] == "help")
            ? CommandTable.Names
            : CommandTable.Find(words[0])?.ArgumentAt(words.Length - 1) switch
            {
                ArgumentKind.ProcessName => Names(groupsOnly: false),
                ArgumentKind.GroupName => Names(groupsOnly: true),
                _ => [],
            };
        return candidates.Where(c => c.StartsWith(word, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private IEnumerable<string> Names(bool groupsOnly)
    {
        IReadOnlyList<(string Group, string FullName)> processes;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            processes = fetchProcesses(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            return []; // an unreachable daemon must never break the line editor
        }
        var groups = processes.Select(p => p.Group).Distinct();
        return groupsOnly
            ? groups.Append("all")
            : processes.Select(p => p.FullName).Concat(groups.Select(g => Namespec.OfGroup(g).ToString())).Append("all");
    }
}
