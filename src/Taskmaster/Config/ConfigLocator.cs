namespace Taskmaster.Config;

/// <summary>Finds the configuration file when <c>-c</c> is not given, in supervisord's order with our names first.</summary>
public static class ConfigLocator
{
    /// <summary>The places searched, in order, relative ones against the current directory.</summary>
    public static IReadOnlyList<string> SearchOrder { get; } =
        ["taskmaster.conf", "/etc/taskmaster.conf", "supervisord.conf", "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf"];

    /// <summary>
    /// The absolute path of the configuration to load: <paramref name="explicitPath"/> when given (it
    /// must exist), else the first of <see cref="SearchOrder"/> that exists.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing found; the message lists every place looked at.</exception>
    public static string Find(string? explicitPath, string currentDir)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath, currentDir);
            return File.Exists(full) ? full : throw new FileNotFoundException($"configuration file not found: {full}", full);
        }
        var tried = SearchOrder.Select(p => Path.GetFullPath(p, currentDir)).ToList();
        return tried.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            "no configuration file found; looked for " + string.Join(", ", tried) + " (use -c FILE)");
    }
}
