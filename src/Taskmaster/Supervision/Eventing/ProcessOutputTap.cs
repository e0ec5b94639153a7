using Taskmaster.Logging;

namespace Taskmaster.Supervision.Eventing;

/// <summary>One stream of one child, tapped for events: each chunk is copied and handed to the loop.</summary>
internal sealed class ProcessOutputTap(ManagedProcess process, int pid, bool stderr, Action<ManagedProcess, int, bool, byte[]> deliver)
    : IOutputTap
{
    public void Observe(ReadOnlySpan<byte> data) => deliver(process, pid, stderr, data.ToArray());
}
