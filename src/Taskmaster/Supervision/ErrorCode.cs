namespace Taskmaster.Supervision;

/// <summary>
/// The one registry of error numbers, for engine operations and the control API alike. 1-99 are supervisord's
/// XML-RPC fault codes, so people and tools that know those recognise them; the 100s are failures of the control
/// API's transport (a request it cannot route, parse or authenticate), which supervisord has no number for. The
/// numbers and their upper-snake names are part of the API (docs/API.md): never renumber. How a code reads on the
/// wire and its HTTP status are <c>Control/ApiError</c>'s; taskmasterctl's wording and exit status for it are its
/// fault table's.
/// </summary>
public enum ErrorCode
{
    UnknownMethod = 1,
    IncorrectParameters = 2,
    BadArguments = 3,
    ShutdownState = 6,
    BadName = 10,
    BadSignal = 11,
    NoFile = 20,
    NotExecutable = 21,
    Failed = 30,
    AbnormalTermination = 40,
    SpawnError = 50,
    AlreadyStarted = 60,
    NotRunning = 70,
    AlreadyAdded = 90,
    StillRunning = 91,
    CantReread = 92,

    /// <summary>No endpoint for this method and path.</summary>
    UnknownRoute = 100,
    /// <summary>The body is not JSON of the expected shape, or a query value is malformed.</summary>
    MalformedRequest = 101,
    /// <summary>The body exceeds the server's limit.</summary>
    BodyTooLarge = 102,
    /// <summary>Credentials are required and were missing or wrong (never says which part).</summary>
    Unauthorized = 103,
    /// <summary>An unexpected failure inside the daemon; the request may or may not have taken effect.</summary>
    Internal = 104,
    /// <summary>The daemon was started without the service this endpoint needs (e.g. stdin forwarding).</summary>
    Unsupported = 105,
    /// <summary>A process's stdin pipe is full because it does not read it; what did not fit was not sent.</summary>
    InputFull = 106,
    /// <summary>A body in another media type than the endpoint's own (a cross-site form or plain-text post).</summary>
    UnsupportedMediaType = 107,
    /// <summary>The request comes from a web page of another origin (its <c>Origin</c> or <c>Sec-Fetch-Site</c> says so).</summary>
    ForeignOrigin = 108,
    /// <summary>The <c>Host</c> header names none of the listener's allowed names (DNS rebinding).</summary>
    HostNotAllowed = 109,
    /// <summary>Too many failed logins from this peer: refused unchecked until its back-off ends.</summary>
    TooManyFailures = 110,
}
