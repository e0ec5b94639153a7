// Entry point of the side-by-side benchmark: finds the two supervisors, runs the scenarios in a
// temp dir, writes docs/BENCHMARKS.md, and whatever happens kills every process it started.
using System.Diagnostics;
using Taskmaster.Bench;
using Taskmaster.Bench.Report;
using Taskmaster.Bench.Scenarios;

BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine($"taskmaster-bench: {e.Message}"); return 2; }

// Leftovers of an interrupted earlier run would skew every figure.
StraySweeper.SweepEverything();
Console.CancelKeyPress += (_, _) => StraySweeper.SweepEverything();
AppDomain.CurrentDomain.ProcessExit += (_, _) => StraySweeper.SweepEverything();

if (!File.Exists(options.ChildPath))
{
    Console.Error.WriteLine($"taskmaster-bench: {options.ChildPath} is missing (bench/run builds it from bench/fixtures/benchchild.c)");
    return 1;
}

var supervisors = new List<SupervisorUnderTest>();
var tmDaemon = Path.Combine(options.TaskmasterDir, "taskmasterd");
var tmCtl = Path.Combine(options.TaskmasterDir, "taskmasterctl");
if (File.Exists(tmDaemon) && File.Exists(tmCtl))
    supervisors.Add(new SupervisorUnderTest(Side.Taskmaster, tmDaemon, tmCtl, MachineInfo.RunForLine(tmDaemon, "--version") ?? "?"));
else
    Console.WriteLine($"Taskmaster not found in {options.TaskmasterDir}: measuring supervisord alone.");
var sdVersion = MachineInfo.RunForLine("supervisord", "--version");
if (sdVersion is null) { Console.Error.WriteLine("taskmaster-bench: supervisord is not installed (bench/run installs it)"); return 1; }
supervisors.Add(new SupervisorUnderTest(Side.Supervisord, "supervisord", "supervisorctl", sdVersion));

var root = Directory.CreateTempSubdirectory("tmbench-").FullName;
var book = new ResultBook();
var ctx = new BenchContext(options, book, supervisors, root);
var clock = Stopwatch.StartNew();
try
{
    if (options.Wants("fleet")) FleetScenario.Run(ctx);
    if (options.Wants("deaf")) TermIgnoringStopScenario.Run(ctx);
    if (options.Wants("restart")) RestartLatencyScenario.Run(ctx);
    if (options.Wants("probes")) ProbeScenario.Run(ctx);
    if (options.Wants("log")) LogThroughputScenario.Run(ctx);
    if (options.Wants("logstamp")) StampedLogThroughputScenario.Run(ctx);
    if (options.Wants("churn")) ChurnScenario.Run(ctx);
    if (options.Wants("clients")) HostileClientsScenario.Run(ctx);
    if (options.Wants("xmlrpc")) XmlRpcScenario.Run(ctx);
    if (options.Wants("listener")) ListenerScenario.Run(ctx);
}
finally
{
    StraySweeper.SweepEverything();
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

var report = MarkdownReport.Render(book, MachineInfo.Probe(), options, supervisors, clock.Elapsed, ctx.StraysTaskmaster, ctx.StraysSupervisord);
Directory.CreateDirectory(Path.GetDirectoryName(options.ReportPath)!);
File.WriteAllText(options.ReportPath, report);
Console.WriteLine($"Wrote {options.ReportPath} in {clock.Elapsed.TotalMinutes:F1} min.");
return 0;
