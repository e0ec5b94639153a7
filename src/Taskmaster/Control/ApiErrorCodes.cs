using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>
/// Error numbers of the control API. Engine errors reuse <see cref="ErrorCode"/> (supervisord's fault
/// numbers, 1-99); failures of the transport itself (a request the API cannot even route or parse) take
/// the 100s so they never collide. The numbers and names are part of the API: never renumber.
/// </summary>
public static class ApiErrorCodes
{
    /// <summary>No endpoint for this method and path.</summary>
    public const int UnknownRoute = 100;
    /// <summary>The body is not JSON of the expected shape, or a query value is malformed.</summary>
    public const int MalformedRequest = 101;
    /// <summary>The body exceeds the server's limit.</summary>
    public const int BodyTooLarge = 102;
    /// <summary>Credentials are required and were missing or wrong (never says which part).</summary>
    public const int Unauthorized = 103;
    /// <summary>An unexpected failure inside the daemon; the request may or may not have taken effect.</summary>
    public const int Internal = 104;
    /// <summary>The daemon was started without the service this endpoint needs (e.g. stdin forwarding).</summary>
    public const int Unsupported = 105;
    /// <summary>A process's stdin pipe is full because it does not read it; what did not fit was not sent.</summary>
    public const int InputFull = 106;

    /// <summary>The stable upper-snake name of a code: <c>BAD_NAME</c>, <c>UNKNOWN_ROUTE</c>, ...</summary>
    public static string NameOf(int code) => code switch
    {
        UnknownRoute => "UNKNOWN_ROUTE",
        MalformedRequest => "MALFORMED_REQUEST",
        BodyTooLarge => "BODY_TOO_LARGE",
        Unauthorized => "UNAUTHORIZED",
        Internal => "INTERNAL",
        Unsupported => "UNSUPPORTED",
        InputFull => "INPUT_FULL",
        _ when Enum.IsDefined((ErrorCode)code) => ToUpperSnake(((ErrorCode)code).ToString()),
        _ => "ERROR",
    };

    /// <summary>The HTTP status that accompanies a code when the whole request failed.</summary>
    public static int HttpStatusOf(int code) => code switch
    {
        UnknownRoute => 404,
        MalformedRequest => 400,
        BodyTooLarge => 413,
        Unauthorized => 401,
        Unsupported => 501,
        InputFull => 503,
        Internal => 500,
        (int)ErrorCode.BadName or (int)ErrorCode.NoFile or (int)ErrorCode.UnknownMethod => 404,
        (int)ErrorCode.IncorrectParameters or (int)ErrorCode.BadArguments or (int)ErrorCode.BadSignal => 400,
        (int)ErrorCode.AlreadyStarted or (int)ErrorCode.NotRunning or (int)ErrorCode.AlreadyAdded
            or (int)ErrorCode.StillRunning => 409,
        (int)ErrorCode.CantReread => 422,
        (int)ErrorCode.ShutdownState => 503,
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
