using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon;

/// <summary>
/// The control API's stdin route (<c>taskmasterctl fg</c>) on top of the engine: each write goes to the supervision
/// loop, and every outcome but success becomes its stable API error, as supervisord's <c>sendProcessStdin</c>
/// faults (BAD_NAME, NOT_RUNNING, NO_FILE), plus INPUT_FULL for a child that does not read.
/// </summary>
internal sealed class ProcessInputForwarder(IProcessStdin engine) : IProcessInput
{
    public async Task WriteAsync(string name, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var result = await engine.WriteStdinAsync(name, data, ct);
        if (result.Status == StdinWriteStatus.Written) return;
        throw result.Status switch
        {
            StdinWriteStatus.BadName => new ControlOperationException(ErrorCode.BadName, $"no such process: {name}"),
            StdinWriteStatus.NotRunning => new ControlOperationException(ErrorCode.NotRunning, $"{result.Name} is not running"),
            StdinWriteStatus.Closed => new ControlOperationException(ErrorCode.NoFile, $"{result.Name} has closed its stdin"),
            StdinWriteStatus.Full => new ControlOperationException(ErrorCode.InputFull,
                $"stdin of {result.Name} is full, the process is not reading it ({result.Written} of {data.Length} bytes sent)"),
            _ => new ControlOperationException(ErrorCode.Internal, $"unexpected stdin outcome {result.Status}"),
        };
    }
}
