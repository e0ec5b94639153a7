using System.Diagnostics;
using System.Text.Json;
using Taskmaster.Config;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Config;

/// <summary>
/// environment= means what it means under supervisord 4.2.5 (issue 26): a value supervisord accepts gives the same
/// pairs; one it refuses because of an escaped quote is refused here too.
/// </summary>
public sealed class EnvironmentPairsTests
{
    [Theory]
    [InlineData("D=\"with \\\"quote\\\"\"")]
    public void EscapedQuote_SupervisordRefuses_SoDoWe(string text)
    {
        var e = Cfg.FailsOnce($"[program:p]\ncommand=x\nenvironment={text}\n");
        Assert.Equal("environment", e.Key);
        Assert.Contains("supervisord refuses this value: a backslash does not escape a quote", e.Message);
    }

    [Theory]
    [InlineData("A=1;B=2", "A=1|B=2")]               // any one token separates pairs
    [InlineData("A='it''s'", "A=it")]                 // the second quoted word is a separator there
    [InlineData("A=\"x y\",B=2", "A=x y|B=2")]
    [InlineData("OPTS=a=b", "OPTS=a=b")]              // refused by supervisord; read by the plain rule here
    [InlineData("D='with \"quote\"'", "D=with \"quote")] // supervisord strips every quote at either end
    public void Values_ReadAsSupervisordReadsThem(string text, string expected) =>
        Assert.Equal(expected, string.Join('|', Cfg.One($"[program:p]\ncommand=x\nenvironment={text}\n").Environment.Select(p => $"{p.Key}={p.Value}")));

    [RequiresFact(Requirement.Supervisor, Requirement.Python3)]
    public void RandomValues_ReadAsSupervisordsDictOfKeyValuePairs()
    {
        var seed = Environment.TickCount;
        var all = RandomValues(new Random(20261206), 1500).Concat(RandomValues(new Random(seed), 1500)).ToArray();
        var expected = Supervisords(all);
        for (var i = 0; i < all.Length; i++)
        {
            if (expected[i] is not { } theirs) continue; // refused there: ours may read it (the plain rule) or refuse it
            Assert.True(SupervisordPairs.TryRead(all[i], out var ours), $"seed {seed}: {all[i]}: supervisord reads it, we refuse");
            Assert.True(theirs.SequenceEqual(ours.Select(p => new[] { p.Key, p.Value }), ArrayComparer.Instance),
                $"seed {seed}: {all[i]}: ours {string.Join('|', ours)}");
        }
        // And where supervisord refuses, our reading of supervisord refuses too.
        for (var i = 0; i < all.Length; i++)
            if (expected[i] is null)
                Assert.False(SupervisordPairs.TryRead(all[i], out _), $"seed {seed}: {all[i]}: supervisord refuses it");
    }

    private sealed class ArrayComparer : IEqualityComparer<string[]>
    {
        public static readonly ArrayComparer Instance = new();
        public bool Equals(string[]? a, string[]? b) => a is not null && b is not null && a.SequenceEqual(b);
        public int GetHashCode(string[] a) => a.Length;
    }

    private static IEnumerable<string> RandomValues(Random random, int count)
    {
        const string alphabet = "AB==,,  '\"\\#;:/._-é\n\t?x";
        for (var n = 0; n < count; n++)
            yield return new string([.. Enumerable.Range(0, random.Next(20)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    private static string[][]?[] Supervisords(string[] values)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", """
            import json, sys
            from supervisor.datatypes import dict_of_key_value_pairs
            out = []
            for s in json.load(sys.stdin):
                try: out.append([[k, v] for k, v in dict_of_key_value_pairs(s).items()])
                except ValueError: out.append(None)
            json.dump(out, sys.stdout)
            """]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var python = Process.Start(psi)!;
        python.StandardInput.Write(JsonSerializer.Serialize(values, SplitJson.Default.StringArray));
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEnd();
        Assert.True(python.WaitForExit(60_000));
        Assert.Equal(0, python.ExitCode);
        return JsonSerializer.Deserialize(output, PairsJson.Default.StringArrayArrayArray)!;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[][][]))]
internal sealed partial class PairsJson : System.Text.Json.Serialization.JsonSerializerContext;
