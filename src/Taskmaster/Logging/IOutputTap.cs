namespace Taskmaster.Logging;

/// <summary>
/// Sees a child's output as it is captured, besides its log file: what a listener answers, what becomes a
/// PROCESS_LOG or PROCESS_COMMUNICATION event. Called on the capture's thread, in the order the child wrote; it must
/// copy what it keeps and return at once (the engine's tap posts to the supervision loop). A stream nobody taps
/// pays nothing for this.
/// </summary>
public interface IOutputTap
{
    void Observe(ReadOnlySpan<byte> data);
}
