namespace Taskmaster.Control;

/// <summary>A control-plane failure with a stable API code (an <see cref="Supervision.ErrorCode"/> value or one of
/// <see cref="ApiErrorCodes"/>); the server turns it into an <see cref="ApiError"/> body.</summary>
public sealed class ControlOperationException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
