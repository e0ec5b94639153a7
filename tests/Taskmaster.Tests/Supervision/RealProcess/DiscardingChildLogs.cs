using Microsoft.Win32.SafeHandles;
using Taskmaster.Config;
using Taskmaster.Logging;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Stands in for the real log capture: drains any pipe it is given to end of file and drops the bytes,
/// so a child never blocks on a full pipe. The tests configure NONE, so normally there is nothing to drain.</summary>
internal sealed class DiscardingChildLogs : IChildLogs
{
    public void Attach(ProcessConfig process, SafeFileHandle? stdoutPipe, SafeFileHandle? stderrPipe,
        IOutputTap? stdoutTap = null, IOutputTap? stderrTap = null, OutputCounters? counters = null)
    {
        Drain(stdoutPipe);
        Drain(stderrPipe);
    }

    public void Clear(ProcessConfig process) { }

    public void ReopenAll() { }

    public void Dispose() { }

    private static void Drain(SafeFileHandle? pipe)
    {
        if (pipe is null) return;
        _ = Task.Run(async () =>
        {
            await using var stream = new FileStream(pipe, FileAccess.Read, 1);
            await stream.CopyToAsync(Stream.Null);
        });
    }
}
