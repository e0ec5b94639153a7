using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>A control-plane failure with a stable <see cref="ErrorCode"/>; the server turns it into an
/// <see cref="ApiError"/> body.</summary>
public sealed class ControlOperationException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
