using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// Collects errors and warnings while a configuration is read and bound, so the loader can report
/// every problem at once. Identical findings are kept once: a program with numprocs = 8 binds its
/// keys eight times and must not report the same bad value eight times.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];
    private readonly HashSet<string> _seen = [];

    public bool HasErrors => _errors.Count > 0;
    public ImmutableArray<ConfigDiagnostic> Errors => [.. _errors];
    public ImmutableArray<ConfigDiagnostic> Warnings => [.. _warnings];

    public void Error(SourceLocation at, string? section, string? key, string message, string? lineText) =>
        Add(_errors, new ConfigDiagnostic(at, section, key, message, lineText));

    public void Warning(SourceLocation at, string? section, string? key, string message, string? lineText) =>
        Add(_warnings, new ConfigDiagnostic(at, section, key, message, lineText));

    /// <summary>A new bag holding the findings so far that <paramref name="keep"/> accepts.</summary>
    public DiagnosticBag Where(Func<ConfigDiagnostic, bool> keep)
    {
        var bag = new DiagnosticBag();
        foreach (var e in _errors.Where(keep)) bag.Add(bag._errors, e);
        foreach (var w in _warnings.Where(keep)) bag.Add(bag._warnings, w);
        return bag;
    }

    private void Add(List<ConfigDiagnostic> list, ConfigDiagnostic diagnostic)
    {
        if (_seen.Add(diagnostic.ToString())) list.Add(diagnostic);
    }
}
