using System.Text.RegularExpressions;
using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Control;

/// <summary>
/// One registry of error numbers (<see cref="ErrorCode"/>): every code, its wire name and its HTTP status are the
/// ones docs/API.md publishes, so neither side can drift, and no number is used twice.
/// </summary>
public sealed partial class ErrorCodeRegistryTests
{
    [GeneratedRegex(@"^\| (\d+) \| ([A-Z_]+) \| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Taskmaster.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void EveryCode_HasTheNumberNameAndHttpStatusOfDocsApi()
    {
        var documented = TableRow().Matches(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "API.md")))
            .Select(m => (Code: int.Parse(m.Groups[1].Value), Name: m.Groups[2].Value, Http: int.Parse(m.Groups[3].Value)))
            .ToList();
        var codes = Enum.GetValues<ErrorCode>();

        Assert.Equal(documented, codes.Select(c => ((int)c, ApiError.NameOf(c), ApiError.HttpStatusOf(c))));
        Assert.Equal(Enum.GetValues<ErrorCode>().Length, Enum.GetValues<ErrorCode>().Select(c => (int)c).Distinct().Count());
    }

    [Fact]
    public void UnknownNumber_FromANewerDaemon_IsNamedError()
    {
        Assert.Equal("ERROR", ApiError.NameOf((ErrorCode)999));
        Assert.Equal(500, ApiError.HttpStatusOf((ErrorCode)999));
    }
}
