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
    /// <param name="root">
    /// The directory that stands for <c>/</c> in the absolute places of <see cref="SearchOrder"/>: <c>/</c> itself
    /// except in tests, which search a temporary tree so the machine's own /etc does not decide the result.
    /// </param>
    /// <exception cref="FileNotFoundException">Nothing found; the message lists every place looked at.</exception>
    public static string Find(string? explicitPath, string currentDir, string root = "/")
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath, currentDir);
            return File.Exists(full) ? full : throw new FileNotFoundException($"configuration file not found: {full}", full);
        }
        var tried = SearchOrder.Select(p => Path.IsPathRooted(p) ? Path.GetFullPath(p.TrimStart('/'), root) : Path.GetFullPath(p, currentDir))
            .ToList();
        return tried.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            "no configuration file found; looked for " + string.Join(", ", tried) + " (use -c FILE)");
    }
}
