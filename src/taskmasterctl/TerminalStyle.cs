namespace Taskmaster.Ctl;

/// <summary>Colour for state names, only on a terminal and never when <c>NO_COLOR</c> is set (no-color.org).</summary>
internal sealed class TerminalStyle(bool enabled)
{
    public static TerminalStyle Detect() =>
        new(!Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"));

    /// <summary>Pads first, then colours, so escape codes never disturb the column widths.</summary>
    public string State(string state, int width)
    {
        var padded = state.PadRight(width);
        if (!enabled) return padded;
        var colour = state switch
        {
            "RUNNING" => "32",
            "STARTING" or "STOPPING" or "BACKOFF" => "33",
            "FATAL" or "EXITED" or "UNKNOWN" => "31",
            _ => null,
        };
        return colour is null ? padded : $"\e[{colour}m{state}\e[0m{padded[state.Length..]}";
    }
}
