// After a burst of work (the autostart of every program, a reload) the GC keeps that burst's garbage committed until
// gen0's allocation budget, sized from the CPU's cache (tens of MB on a server CPU), fills up again; for a supervisor
// that then sits idle, that is never. One aggressive, compacting collection hands it back to the OS.
// What it saves: docs/BENCHMARKS.md § Design costs. The budget itself cannot be lowered from outside: the
// NativeAOT daemon ignores DOTNET_GCgen0size, GCgen0MaxBudget, GCHeapHardLimit and the embedded equivalents.
namespace Taskmaster.Daemon;

/// <summary>Returns the garbage of a burst of work to the OS, once the burst is over.</summary>
internal static class MemoryTrim
{
    /// <summary>A full, compacting collection that also decommits the freed memory (short for our small heap).</summary>
    public static void AfterBurst() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
