namespace Taskmaster.Bench;

/// <summary>Command line of the bench (see bench/run).</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }
    /// <summary>Repository root.</summary>
    public string RepoRoot { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>Folder holding published taskmasterd and taskmasterctl; the Taskmaster side runs only when both exist.</summary>
    public string TaskmasterDir { get; init; } = "bench/.out";
    public string ReportPath { get; init; } = "docs/BENCHMARKS.md";
    /// <summary>The command line shown in the report as the one that produced it.</summary>
    public string Command { get; init; } = "bench/run";
    /// <summary>Scenario names to run (empty: all).</summary>
    public HashSet<string> Only { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The program every scenario supervises (bench/fixtures/benchchild.c, built by bench/run next to
    /// the published binaries): <c>Child("idle", file)</c> is the command line of one program.
    /// </summary>
    public string Child(string mode, string file) => $"{ChildPath} {mode} {file}";

    public string ChildPath => Path.Combine(TaskmasterDir, "benchchild");

    /// <summary>bench/fixtures/fleetfloor.c, built by bench/run: starts and stops N children with no supervisor.</summary>
    public string FleetFloorPath => Path.Combine(TaskmasterDir, "fleetfloor");

    /// <summary>The size at which the "1000" bars are judged (the largest size a quick run has).</summary>
    public int BarSize => Quick ? 100 : 1000;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--quick" => o with { Quick = true },
                "--repo" => o with { RepoRoot = Path.GetFullPath(Next()) },
                "--taskmaster" => o with { TaskmasterDir = Next() },
                "--report" => o with { ReportPath = Next() },
                "--command" => o with { Command = Next() },
                "--only" => o with { Only = new HashSet<string>(Next().Split(','), StringComparer.OrdinalIgnoreCase) },
                _ => throw new ArgumentException($"unknown argument {args[i]} (expected --quick, --repo DIR, --taskmaster DIR, --report FILE, --command TEXT, --only a,b)"),
            };
        }
        return o with
        {
            TaskmasterDir = Path.GetFullPath(o.TaskmasterDir, o.RepoRoot),
            ReportPath = Path.GetFullPath(o.ReportPath, o.RepoRoot),
        };
    }

    public bool Wants(string scenario) => Only.Count == 0 || Only.Contains(scenario);
}
