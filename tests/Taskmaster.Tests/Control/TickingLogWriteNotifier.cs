using Taskmaster.Logging;

namespace Taskmaster.Tests.Control;

/// <summary>Test double for log followers: these tests write the files directly, with no writer to announce it,
/// so "written" is simply "some time has passed".</summary>
internal sealed class TickingLogWriteNotifier : ILogWriteNotifier
{
    public Task WhenWritten(string path) => Task.Delay(50);
}
