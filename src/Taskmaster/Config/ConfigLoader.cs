using System.Collections.Frozen;

namespace Taskmaster.Config;

/// <summary>
/// Entry point of the configuration: reads a file and everything it includes, binds both dialects
/// onto <see cref="SupervisorConfig"/>, and either returns it (with warnings) or throws one
/// <see cref="ConfigException"/> carrying every error found.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/> and its includes.</summary>
    /// <param name="environment">Variables for <c>%(ENV_X)s</c>; the daemon's environment when null.</param>
    /// <param name="hostName">Value of <c>%(host_node_name)s</c>; this machine's name when null.</param>
    /// <param name="host">The machine to check the file against (log directories, users, limits); not checked when null.</param>
    public static SupervisorConfig Load(string path, IReadOnlyDictionary<string, string>? environment = null, string? hostName = null,
        IHostFacts? host = null) =>
        LoadFile(path, environment, hostName, onlySections: null, host);

    /// <summary>Loads configuration <paramref name="text"/> as if it were the file <paramref name="path"/> (includes resolve from its directory).</summary>
    public static SupervisorConfig LoadText(string text, string path, IReadOnlyDictionary<string, string>? environment = null, string? hostName = null,
        IHostFacts? host = null) =>
        LoadText(text, path, environment, hostName, onlySections: null, host);

    /// <summary>The sections that say where taskmasterd listens and how the client talks to it.</summary>
    public static readonly FrozenSet<string> ControlSections =
        FrozenSet.ToFrozenSet(["unix_http_server", "inet_http_server", "taskmasterctl", "supervisorctl"], StringComparer.Ordinal);

    /// <summary>
    /// Loads <paramref name="path"/> and its includes, but binds only the <see cref="ControlSections"/>: what
    /// taskmasterctl needs before it can send anything. Problems anywhere else are not looked at (<see cref="Load"/>
    /// reports them); binding the programs is most of what reading a large file costs.
    /// </summary>
    public static SupervisorConfig LoadControlSections(string path, IReadOnlyDictionary<string, string>? environment = null, string? hostName = null) =>
        LoadFile(path, environment, hostName, ControlSections, host: null);

    private static SupervisorConfig LoadFile(string path, IReadOnlyDictionary<string, string>? environment, string? hostName,
        FrozenSet<string>? onlySections, IHostFacts? host)
    {
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigDiagnostic(new SourceLocation(full, 1, 1), null, null,
                $"cannot read the configuration file: {e.Message}", null)]);
        }
        return LoadText(text, full, environment, hostName, onlySections, host);
    }

    private static SupervisorConfig LoadText(string text, string path, IReadOnlyDictionary<string, string>? environment, string? hostName,
        FrozenSet<string>? onlySections, IHostFacts? host)
    {
        var full = Path.GetFullPath(path);
        environment ??= CurrentEnvironment();
        hostName ??= System.Net.Dns.GetHostName();
        var diagnostics = new DiagnosticBag();
        var sections = new List<IniSection>();
        var envNames = new Dictionary<string, ExpansionValue>(StringComparer.Ordinal);
        foreach (var (k, v) in environment) envNames["ENV_" + k] = v;

        ReadWithIncludes(full, text, sections, [full], new HashSet<string>(StringComparer.Ordinal) { full }, envNames, diagnostics);
        if (onlySections is not null)
        {
            sections.RemoveAll(section => !onlySections.Contains(section.Name));
            diagnostics = diagnostics.Where(d => d.Section is { } name && onlySections.Contains(name));
        }
        var config = new ConfigBinder(sections, full, envNames, hostName, diagnostics,
            host is null ? null : new HostChecks(host)).Bind();
        if (diagnostics.HasErrors) throw new ConfigException(diagnostics.Errors);
        return config with { Warnings = diagnostics.Warnings };
    }

    private static void ReadWithIncludes(string file, string text, List<IniSection> into, List<string> chain,
        HashSet<string> loaded, Dictionary<string, ExpansionValue> envNames, DiagnosticBag diagnostics)
    {
        diagnostics.Reading(file);
        var sections = IniReader.Read(text, file, diagnostics);
        foreach (var section in sections)
        {
            if (section.Name != "include") { into.Add(section); continue; }
            var reader = new SectionReader(section, SectionKind.Include, diagnostics, "include");
            reader.Names = new ExpansionNames(envNames) { ["here"] = section.Here };
            var entry = reader.Entry("files");
            if (entry is null) { reader.ErrorAtHeader("[include] needs a 'files' key (space-separated globs)"); continue; }
            var patterns = reader.Text("files");
            if (patterns is null) continue;
            foreach (var pattern in patterns.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                var matches = IncludeGlob.Expand(pattern, section.Here);
                if (matches.Count == 0)
                    reader.Warning(entry, $"'{pattern}' matches no file");
                foreach (var match in matches)
                {
                    if (chain.Contains(match))
                    {
                        reader.Error(entry, $"include cycle: {string.Join(" -> ", chain.Append(match))}");
                        continue;
                    }
                    if (!loaded.Add(match)) continue; // already included through another path
                    string included;
                    try { included = File.ReadAllText(match); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        reader.Error(entry, $"cannot read included file {match}: {e.Message}");
                        continue;
                    }
                    chain.Add(match);
                    ReadWithIncludes(match, included, into, chain, loaded, envNames, diagnostics);
                    chain.RemoveAt(chain.Count - 1);
                }
            }
        }
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            result[(string)e.Key] = (string?)e.Value ?? "";
        return result;
    }
}
