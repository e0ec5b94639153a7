using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>
/// The body of every failed API request: <c>{"code": 10, "error": "BAD_NAME", "message": "..."}</c>. The code is an
/// <see cref="ErrorCode"/> (a number on the wire); <c>error</c> is its stable upper-snake name.
/// </summary>
public sealed record ApiError(ErrorCode Code, string Error, string Message)
{
    public static ApiError Of(ErrorCode code, string message) => new(code, NameOf(code), message);

    /// <summary>The stable upper-snake name of a code: <c>BAD_NAME</c>, <c>UNKNOWN_ROUTE</c>, ...; <c>ERROR</c> for a
    /// number this build does not know (a newer daemon's).</summary>
    public static string NameOf(ErrorCode code) => Enum.IsDefined(code) ? ToUpperSnake(code.ToString()) : "ERROR";

    /// <summary>The HTTP status that accompanies a code when the whole request failed.</summary>
    public static int HttpStatusOf(ErrorCode code) => code switch
    {
        ErrorCode.UnknownRoute or ErrorCode.BadName or ErrorCode.NoFile or ErrorCode.UnknownMethod => 404,
        ErrorCode.MalformedRequest or ErrorCode.IncorrectParameters or ErrorCode.BadArguments or ErrorCode.BadSignal => 400,
        ErrorCode.BodyTooLarge => 413,
        ErrorCode.Unauthorized => 401,
        ErrorCode.UnsupportedMediaType => 415,
        ErrorCode.ForeignOrigin or ErrorCode.HostNotAllowed => 403,
        ErrorCode.TooManyFailures => 429,
        ErrorCode.Unsupported => 501,
        ErrorCode.InputFull or ErrorCode.ShutdownState => 503,
        ErrorCode.AlreadyStarted or ErrorCode.NotRunning or ErrorCode.AlreadyAdded or ErrorCode.StillRunning => 409,
        ErrorCode.CantReread => 422,
        _ => 500,
    };

    private static string ToUpperSnake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
