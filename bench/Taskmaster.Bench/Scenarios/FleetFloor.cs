using System.Diagnostics;
using System.Globalization;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// The machine's floor for a fleet of N programs: bench/fixtures/fleetfloor.c starts N <c>benchchild joined</c>
/// in their own sessions, waits for their N lines, then SIGTERMs each group and reaps all, with no supervisor
/// in between. A supervisor cannot start or stop the same fleet faster than that, so its figure divided by the
/// floor says how much of what remains is ours to win.
/// </summary>
internal static class FleetFloor
{
    private const int Runs = 3;

    public sealed record Figures(double SpawnSeconds, double StopSeconds);

    /// <summary>Median over <see cref="Runs"/> runs, each in a fresh directory; null when the floor program failed.</summary>
    public static Figures? Measure(BenchContext ctx, int n)
    {
        var spawns = new List<double>();
        var stops = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var dir = Path.Combine(ctx.Root, $"floor{n}-{run}");
            Directory.CreateDirectory(dir);
            var psi = new ProcessStartInfo(ctx.Options.FleetFloorPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { n.ToString(CultureInfo.InvariantCulture), Path.Combine(dir, "joined"), ctx.Options.ChildPath })
                psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("fleetfloor did not start");
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (process.ExitCode != 0 || fields.Length != 2)
            {
                ctx.Book.RunNotes.Add($"C floor for N={n} failed (exit {process.ExitCode}): {error.Trim()}");
                return null;
            }
            spawns.Add(double.Parse(fields[0], CultureInfo.InvariantCulture));
            stops.Add(double.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        return new Figures(Stats.Median(spawns), Stats.Median(stops));
    }
}
