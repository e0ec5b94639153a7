namespace Taskmaster.Control;

/// <summary>The daemon answered with an error body.</summary>
public sealed class ControlApiException(ApiError error, int httpStatus) : Exception(error.Message)
{
    public ApiError Error { get; } = error;
    public int HttpStatus { get; } = httpStatus;
}
