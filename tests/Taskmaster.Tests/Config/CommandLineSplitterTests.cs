using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>command= is split as supervisord splits it (Python's shlex.split, POSIX rules), never run by a shell (issue 26).</summary>
public class CommandLineSplitterTests
{
    private static string[] Split(string raw)
    {
        Assert.True(CommandLineSplitter.TrySplit(raw, out var c, out var error, out _), error);
        Assert.Equal(raw, c.Raw);
        return [.. c.Argv];
    }

    [Theory]
    // The rows of issue 26, each with supervisord 4.2.5's argv.
    [InlineData("dump.sh a;b c#d e", new[] { "dump.sh", "a;b", "c#d", "e" })]
    [InlineData("dump.sh pa$$word $HOME", new[] { "dump.sh", "pa$$word", "$HOME" })]
    [InlineData("dump.sh *.conf", new[] { "dump.sh", "*.conf" })]
    [InlineData("dump.sh ~/x", new[] { "dump.sh", "~/x" })]
    [InlineData("one\ntwo", new[] { "one", "two" })]
    // Quoting and escapes.
    [InlineData("python3 worker.py", new[] { "python3", "worker.py" })]
    [InlineData("  a   b\tc\r ", new[] { "a", "b", "c" })]
    [InlineData("echo 'a b' \"c d\"", new[] { "echo", "a b", "c d" })]
    [InlineData("echo 'it''s'", new[] { "echo", "its" })]
    [InlineData("echo a\\ b", new[] { "echo", "a b" })]
    [InlineData("echo \"q\\\"x\\\\\"", new[] { "echo", "q\"x\\" })]
    [InlineData("echo \"a\\nb\" \"\\$x\"", new[] { "echo", "a\\nb", "\\$x" })]
    [InlineData("echo '\\n'", new[] { "echo", "\\n" })]
    [InlineData("echo a\\\nb", new[] { "echo", "a\nb" })]
    [InlineData("echo '' \"\"", new[] { "echo", "", "" })]
    [InlineData("a | b > out && c", new[] { "a", "|", "b", ">", "out", "&&", "c" })]
    [InlineData("FOO=1 prog", new[] { "FOO=1", "prog" })]
    public void Split_IsSupervisords(string raw, string[] argv) => Assert.Equal(argv, Split(raw));

    [Theory]
    [InlineData("", "empty")] [InlineData("  \n ", "empty")] [InlineData("echo 'open", "No closing quotation")]
    [InlineData("echo \"open", "No closing quotation")] [InlineData("echo \\", "No escaped character")]
    public void Broken_IsAnError(string raw, string message)
    {
        Assert.False(CommandLineSplitter.TrySplit(raw, out _, out var error, out _));
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("a | b", "pipe")] [InlineData("a > out", "redirection")] [InlineData("a 2>/dev/null", "redirection")]
    [InlineData("a; b", "command list")] [InlineData("a && b", "pipe or a command list")] [InlineData("echo $HOME", "variable")]
    [InlineData("echo \"$HOME\"", null)] [InlineData("echo `date`", "substitution")] [InlineData("ls *.log", "glob")]
    [InlineData("cat ~/x", "~")] [InlineData("echo 'a | b' \"*\" \\$HOME", null)] [InlineData("python3 worker.py --x=1", null)]
    public void ShellLookalike_IsFoundOutsideQuotesOnly(string raw, string? what)
    {
        var found = CommandLineSplitter.ShellLookalike(raw);
        if (what is null) Assert.Null(found);
        else Assert.Contains(what, found);
    }

    [Fact]
    public void Loader_WarnsAboutShellSyntax_ShowingTheArgvItWillRun()
    {
        var config = Cfg.Load("[p]\ncmd = dump.sh a | b\n");
        var warning = Assert.Single(config.Warnings);
        Assert.Equal(new SourceLocation(Cfg.File, 2, 7), warning.Location);
        Assert.Contains("runs without a shell, as argv ['dump.sh', 'a', '|', 'b']; write sh -c '...' if a shell was meant", warning.Message);
        Assert.Equal(["dump.sh", "a", "|", "b"], config.AllProcesses.Single().Command.Argv.ToArray());
    }

    [Fact]
    public void ExpandedValue_NeverBecomesCode()
    {
        // issue 27 item 6: an environment value with shell syntax stays words of the program's argv.
        var env = new Dictionary<string, string>(Cfg.Env) { ["X"] = "; id > /tmp/pwned" };
        var config = ConfigLoader.LoadText("[p]\ncmd = echo %(ENV_X)s\n", Cfg.File, env, "node1");
        Assert.Equal(["echo", ";", "id", ">", "/tmp/pwned"], config.AllProcesses.Single().Command.Argv.ToArray());
    }

    [Fact]
    public void Loader_ReportsUnterminatedQuoteAtTheQuote()
    {
        var e = Cfg.FailsOnce("[p]\ncmd = echo 'x\n");
        Assert.Equal(new SourceLocation(Cfg.File, 2, 12), e.Location);
    }

    [Fact]
    public void Loader_EmptyCommand_IsError() =>
        Assert.Contains("empty", Cfg.FailsOnce("[p]\ncmd =\n").Message);

    [RequiresFact(Requirement.Python3)]
    public void RandomCommands_SplitAsPythonsShlexSplits()
    {
        // Many strings per python3 call: one process, not one per case. A fixed seed for the same cases every run,
        // and a fresh one for new cases (printed on failure, to replay it).
        var seed = Environment.TickCount;
        var all = RandomCommands(new Random(20261205), 1000).Concat(RandomCommands(new Random(seed), 1000)).ToArray();
        var expected = PythonShlexSplit(all);
        for (var i = 0; i < all.Length; i++)
        {
            var ours = CommandLineSplitter.TrySplit(all[i], out var c, out _, out _) ? c.Argv.ToArray() : null;
            var theirs = expected[i];
            // An empty result is an error here ("the command is empty") and an empty list there.
            if (theirs is { Length: 0 }) theirs = null;
            Assert.True(Equivalent(ours, theirs),
                $"seed {seed}, {Show([all[i]])}: ours {Show(ours)}, shlex {Show(theirs)}");
        }
    }

    private static IEnumerable<string> RandomCommands(Random random, int count)
    {
        const string alphabet = "ab  \t\n''\"\"\\\\#;$|*~é日\r";
        for (var n = 0; n < count; n++)
            yield return new string([.. Enumerable.Range(0, random.Next(25)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    private static string Show(string[]? words) => words is null ? "error" : JsonSerializer.Serialize(words, SplitJson.Default.StringArray);

    private static bool Equivalent(string[]? a, string[]? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static string[]?[] PythonShlexSplit(string[] commands)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", """
            import json, shlex, sys
            out = []
            for s in json.load(sys.stdin):
                try: out.append(shlex.split(s))
                except ValueError: out.append(None)
            json.dump(out, sys.stdout)
            """]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var python = Process.Start(psi)!;
        python.StandardInput.Write(JsonSerializer.Serialize(commands, SplitJson.Default.StringArray));
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEnd();
        Assert.True(python.WaitForExit(60_000));
        Assert.Equal(0, python.ExitCode);
        return JsonSerializer.Deserialize(output, SplitJson.Default.StringArrayArray)!;
    }
}

[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string[][]))]
internal sealed partial class SplitJson : JsonSerializerContext;
