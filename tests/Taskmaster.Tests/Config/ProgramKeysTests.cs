using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Taskmaster.Config;
using Taskmaster.Supervision.Reload;

namespace Taskmaster.Tests.Config;

/// <summary>
/// <see cref="ProgramKeys"/> is the only list of program keys: every <see cref="ProcessConfig"/> property is one of its
/// settings, every entry's Example reaches its property through the binder with the reload effect the entry declares,
/// and the record's initialisers hold the table's defaults.
/// </summary>
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The test host runs under the JIT, with every member present.")]
[UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The test host runs under the JIT, with every member present.")]
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The test host runs under the JIT, which makes any instantiation.")]
public class ProgramKeysTests
{
    /// <summary>Where an instance sits: set from the sections by the binder, compared by equality, never a key.</summary>
    private static readonly string[] Placement =
        [nameof(ProcessConfig.GroupName), nameof(ProcessConfig.ProgramName), nameof(ProcessConfig.ProcessNum), nameof(ProcessConfig.IsListener)];

    /// <summary>Whether a log path came from AUTO: the same file either way, so not part of the setting.</summary>
    /// <summary>Which files env_file named: only the variables they give are the child's (a rename restarts nothing).</summary>
    private static readonly string[] NotASetting = ["Stdout.IsAuto", "Stderr.IsAuto", "EnvFiles.Paths"];

    private static readonly ProcessConfig Baseline = Cfg.One("[program:p]\ncommand = /bin/base\n");

    [Fact]
    public void EveryProcessConfigProperty_IsHeldByATableEntry()
    {
        var properties = typeof(ProcessConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.Name != nameof(ProcessConfig.Origins)) // where values came from
            .ToList();
        Assert.True(properties.Count > 20, "the reflection found too few properties to mean anything");
        foreach (var property in properties)
        {
            foreach (var (what, value) in Variants(property.Name, property.PropertyType, property.GetValue(Baseline)))
            {
                var variant = With(Baseline, property, value);
                var differing = ProgramKeys.Settings.Where(k => k.Differs(Baseline, variant)).Select(k => k.Name).ToList();
                if (NotASetting.Contains(what))
                {
                    Assert.True(Baseline.Equals(variant), $"{what} is not a setting, yet equality sees it");
                    Assert.Empty(differing);
                    continue;
                }
                if (!Placement.Contains(property.Name))
                    Assert.True(differing.Count == 1,
                        $"a change of ProcessConfig.{what} is seen by [{string.Join(", ", differing)}]: it needs exactly one ProgramKeys entry");
                Assert.False(Baseline.Equals(variant), $"ProcessConfig equality misses a change of {what}");

                // An equal value in a new list or record is the same setting (lists compare by content).
                var copy = With(Baseline, property, DeepCopy(property.GetValue(variant)));
                Assert.True(variant.Equals(copy), $"an equal copy of ProcessConfig.{what} counts as a change");
                Assert.Equal(InstanceChangeKind.Unchanged, ProcessConfigDelta.Compare(variant, copy).Kind);
            }
        }
    }

    public static TheoryData<string> Settings => [.. ProgramKeys.Settings.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Example_ReachesItsSetting_WithTheDeclaredReloadEffect(string name)
    {
        var key = ProgramKeys.Settings.Single(k => k.Name == name);
        // killasgroup=false is refused under stopasgroup=true; a dependency must name a program that exists.
        var context = name == "killasgroup" ? "stopasgroup = false\n" : "";
        // Only a listener pool reads its events (and must have some).
        var section = name == "events" ? "[eventlistener:p]" : "[program:p]";
        var others = name == "depends_on" ? "[program:db]\ncommand = /bin/true\n" : "";
        var baseline = P(Cfg.Load(name == "events"
            ? $"{section}\ncommand = /bin/base\nevents = TICK_5\n"
            : $"{section}\ncommand = /bin/base\n{context}{others}"));
        var text = name == "command"
            ? $"{section}\ncommand = {key.Example}\n{context}"
            : $"{section}\ncommand = /bin/base\n{context}{name} = {key.Example}\n{others}";
        var variant = P(Cfg.Load(text));

        Assert.True(key.Differs(baseline, variant), $"{name} = {key.Example} leaves the setting at its default");
        Assert.Contains(name, variant.Origins.Keys);
        var change = ProcessConfigDelta.Compare(baseline, variant);
        Assert.Equal(key.Reload == OnReload.Restart ? InstanceChangeKind.Restart : InstanceChangeKind.InPlace, change.Kind);
        Assert.Contains(name, change.Fields);
        foreach (var alias in key.Aliases)
        {
            var spelled = P(Cfg.Load(text.Replace($"\n{name} =", $"\n{alias} =", StringComparison.Ordinal)));
            Assert.Equal(variant, spelled);
            Assert.Contains(name, spelled.Origins.Keys);
        }
    }

    [Fact]
    public void AbsentKeys_TakeTheTableDefaults()
    {
        // The binder leaves an absent key to ProcessConfig's initialiser (or, for a log's size and backups, to the
        // log's own reading): either way the instance must hold the table's default.
        var holds = typeof(ProgramKeysTests).GetMethod(nameof(HoldsSharedDefault), BindingFlags.NonPublic | BindingFlags.Static)!;
        var checkedKeys = 0;
        foreach (var key in ProgramKeys.Settings)
        {
            var valueType = key.GetType().GetGenericArguments()[0];
            var result = (bool?)holds.MakeGenericMethod(valueType).Invoke(null, [key, Baseline]);
            if (result is null) continue; // no default shared by every instance
            Assert.True(result, $"an instance without {key.Name} does not hold the table's default '{key.Default.Shown}'");
            checkedKeys++;
        }
        Assert.True(checkedKeys > 15);
    }

    [Fact]
    public void Table_EntriesAreConsistent()
    {
        foreach (var key in ProgramKeys.All)
            key.Validate();
        Assert.All(ProgramKeys.Settings, k => Assert.Equal(SectionKind.Program, k.Info.Section));
        Assert.Equal(ProgramKeys.All.Select(k => k.Name), KeyCatalogue.All.Where(k => k.Section == SectionKind.Program).Select(k => k.Name));
    }

    [Fact]
    public void DefaultPriority_IsWrittenOnce_AndSharedByGroups()
    {
        Assert.Equal(999, ProgramKeys.Priority.DefaultValue);
        Assert.Equal(999, GroupConfig.DefaultPriority);
        var config = Cfg.Load("[program:a]\ncommand = x\n[program:b]\ncommand = y\n[group:g]\nprograms = a\n");
        Assert.All(config.Groups, g => Assert.Equal(999, g.Priority));
        Assert.Equal("999", KeyCatalogue.Find(SectionKind.Group, "priority")!.Default);
    }

    private static ProcessConfig P(SupervisorConfig config) => config.AllProcesses.Single(x => x.ProgramName == "p");

    private static bool? HoldsSharedDefault<T>(ProgramKey<T> key, ProcessConfig config)
    {
        if (key.Default.PerInstance is not null || key.ParseIn is not null && key.Default.Text is not null || key.Default.IsRequired)
            return null;
        return key.Same(key.Get!(config), key.DefaultValue);
    }

    private static ProcessConfig With(ProcessConfig config, PropertyInfo property, object? value)
    {
        var copy = CloneObject(config);
        property.SetValue(copy, value);
        return (ProcessConfig)copy;
    }

    /// <summary>Each way to change one value: itself, or each member of a record such as <see cref="LogTarget"/>.</summary>
    private static IEnumerable<(string What, object? Value)> Variants(string what, Type type, object? value)
    {
        switch (value)
        {
            case int n: yield return (what, n + 1); break;
            case long n: yield return (what, n + 1); break;
            case bool b: yield return (what, !b); break;
            case TimeSpan t: yield return (what, t + TimeSpan.FromMilliseconds(1)); break;
            case string s: yield return (what, s + "x"); break;
            case ImmutableArray<int> a: yield return (what, a.Add(7)); break;
            case ImmutableArray<string> a: yield return (what, a.Add("x")); break;
            case ImmutableArray<KeyValuePair<string, string>> a: yield return (what, a.Add(new("X", "1"))); break;
            case ImmutableArray<Dependency> a: yield return (what, a.Add(new Dependency("x", DependencyCondition.Running))); break;
            case ValueTuple<int, int> t: yield return (what, (t.Item1, t.Item2 + 1)); break;
            case null when type == typeof(LogStampFormat): yield return (what, LogStampFormat.UtcDefault); break;
            case null when type == typeof(ResourceLimit): yield return (what, new ResourceLimit(7, "nofile", 1, 2)); break;
            case null when type == typeof(CommandLine): yield return (what, new CommandLine("x", ["x"])); break;
            case null when type == typeof(CronSchedule):
                CronSchedule.TryParse("0 3 * * *", out var schedule, out _, out _);
                yield return (what, schedule);
                break;
            case null when type == typeof(ProbeTarget): yield return (what, new ProbeTarget.Tcp("h", 1) { Raw = "tcp://h:1" }); break;
            case Enum e:
                yield return (what, Enum.GetValues(type).Cast<object>().First(v => !v.Equals(e)));
                break;
            case null when type == typeof(string): yield return (what, "x"); break;
            case null when Nullable.GetUnderlyingType(type) == typeof(int): yield return (what, 1); break;
            case null when Nullable.GetUnderlyingType(type) == typeof(long): yield return (what, 1L); break;
            case LogTarget or CommandLine or ProbeConfig or EnvFileSet:
                foreach (var member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
                    foreach (var (inner, changed) in Variants($"{what}.{member.Name}", member.PropertyType, member.GetValue(value)))
                    {
                        var copy = CloneObject(value);
                        member.SetValue(copy, changed);
                        yield return (inner, copy);
                    }
                break;
            default:
                throw new InvalidOperationException($"this test does not know how to change a {type.Name} ({what}): teach Variants");
        }
    }

    private static object CloneObject(object record) => record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;

    /// <summary>An equal value in new storage: new lists, new records.</summary>
    private static object? DeepCopy(object? value) => value switch
    {
        ImmutableArray<int> a => ImmutableArray.Create(a.AsSpan()),
        ImmutableArray<string> a => ImmutableArray.Create(a.AsSpan()),
        ImmutableArray<KeyValuePair<string, string>> a => ImmutableArray.Create(a.AsSpan()),
        ImmutableArray<Dependency> a => ImmutableArray.CreateRange(a.Select(d => new Dependency(d.Target, d.Condition))),
        string s => new string(s.AsSpan()),
        LogTarget or CommandLine or ProbeConfig or EnvFileSet => CopyMembers(value),
        _ => value,
    };

    private static object CopyMembers(object record)
    {
        var copy = CloneObject(record);
        foreach (var member in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
            member.SetValue(copy, DeepCopy(member.GetValue(record)));
        return copy;
    }
}
