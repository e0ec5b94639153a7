namespace Taskmaster.Control;

/// <summary>The body of every failed API request: <c>{"code": 10, "error": "BAD_NAME", "message": "..."}</c>.</summary>
public sealed record ApiError(int Code, string Error, string Message)
{
    public static ApiError Of(int code, string message) => new(code, ApiErrorCodes.NameOf(code), message);
}
