using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// Collects errors and warnings while a configuration is read and bound, so the loader can report
/// every problem at once. Identical findings are kept once: a program with numprocs = 8 binds its
/// keys eight times and must not report the same bad value eight times.
/// </summary>
/// <remarks>
/// Findings come in the order the passes make them (the reader's for every file, then the binder's), which is
/// not the order of the text: they are handed out sorted by file (in the order the files were read: the main
/// file, then each include where it is included), line and column, so a person fixes them top to bottom. The
/// sort is stable: findings at one place keep the order they were made in.
/// </remarks>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];
    private readonly HashSet<string> _seen = [];
    private readonly Dictionary<string, int> _fileOrder = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;
    public ImmutableArray<ConfigDiagnostic> Errors => InTextOrder(_errors);
    public ImmutableArray<ConfigDiagnostic> Warnings => InTextOrder(_warnings);

    /// <summary>Notes that <paramref name="file"/> is read now: its findings come after those of the files read before it.</summary>
    public void Reading(string file) => _fileOrder.TryAdd(file, _fileOrder.Count);

    public void Error(SourceLocation at, string? section, string? key, string message, string? lineText) =>
        Add(_errors, new ConfigDiagnostic(at, section, key, message, lineText));

    public void Warning(SourceLocation at, string? section, string? key, string message, string? lineText) =>
        Add(_warnings, new ConfigDiagnostic(at, section, key, message, lineText));

    /// <summary>A new bag holding the findings so far that <paramref name="keep"/> accepts.</summary>
    public DiagnosticBag Where(Func<ConfigDiagnostic, bool> keep)
    {
        var bag = new DiagnosticBag();
        foreach (var (file, order) in _fileOrder) bag._fileOrder[file] = order;
        foreach (var e in _errors.Where(keep)) bag.Add(bag._errors, e);
        foreach (var w in _warnings.Where(keep)) bag.Add(bag._warnings, w);
        return bag;
    }

    private void Add(List<ConfigDiagnostic> list, ConfigDiagnostic diagnostic)
    {
        if (_seen.Add(diagnostic.ToString())) list.Add(diagnostic);
    }

    // OrderBy is a stable sort. A file never announced (none is, today) goes after the ones read, by name.
    private ImmutableArray<ConfigDiagnostic> InTextOrder(List<ConfigDiagnostic> list) =>
    [
        .. list.OrderBy(d => _fileOrder.GetValueOrDefault(d.Location.File, int.MaxValue))
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column),
    ];
}
