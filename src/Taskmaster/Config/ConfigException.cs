using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>The loader's only failure: every error found in the configuration, all collected.</summary>
public sealed class ConfigException(ImmutableArray<ConfigDiagnostic> errors)
    : Exception(string.Join("\n", errors.Select(e => e.ToString())))
{
    public ImmutableArray<ConfigDiagnostic> Errors { get; } = errors;
}
