using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>README's configuration table is rendered from <see cref="ProgramKeys"/> and <see cref="KeyCatalogue"/>; this keeps them equal.</summary>
public class ReadmeReferenceTests
{
    private const string Begin = "<!-- config-reference:begin -->", End = "<!-- config-reference:end -->";

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Taskmaster.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void Readme_ConfigReference_MatchesCatalogue()
    {
        var readme = Path.Combine(RepoRoot(), "README.md");
        var text = File.ReadAllText(readme);
        var start = text.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= Begin.Length && end > start, "README.md lacks the config-reference markers");
        var expected = "\n" + KeyCatalogue.RenderMarkdown();
        if (Environment.GetEnvironmentVariable("UPDATE_README") == "1")
            File.WriteAllText(readme, text[..start] + expected + text[end..]);
        else
            Assert.True(expected == text[start..end], "README.md's configuration table differs from KeyCatalogue; run the tests with UPDATE_README=1 to regenerate it");
    }

    [Fact]
    public void Catalogue_HasEveryDesignKey()
    {
        foreach (var (shortName, name) in new[] { ("cmd", "command"), ("workingdir", "directory"), ("starttime", "startsecs"),
                     ("stoptime", "stopwaitsecs"), ("stdout", "stdout_logfile"), ("stderr", "stderr_logfile"), ("env", "environment") })
            Assert.Equal(name, KeyCatalogue.Find(SectionKind.Program, shortName)?.Name);
        Assert.Null(KeyCatalogue.Find(SectionKind.Program, "nonsense"));
    }
}
