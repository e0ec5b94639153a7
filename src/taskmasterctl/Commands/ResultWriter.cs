using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// The one place a command's output is rendered, as supervisorctl's text or, with <c>--json</c>, as one JSON document
/// per result. Messages that are not a result (usage, errors a verb words itself, help) are said in both modes.
/// </summary>
internal sealed class ResultWriter(TextWriter output, bool json, TerminalStyle style)
{
    public bool IsJson => json;

    /// <summary>Colour for state names (only on a terminal).</summary>
    public TerminalStyle Style => style;

    /// <summary>A line in either mode.</summary>
    public void Say(string line) => output.WriteLine(line);

    /// <summary>A line of text output only: with <c>--json</c> the result document already carries it.</summary>
    public void Text(string line)
    {
        if (!json) output.WriteLine(line);
    }

    /// <summary>A command's result: <paramref name="value"/> as JSON, or its text from <paramref name="text"/>.</summary>
    public void Result<T>(T value, JsonTypeInfo<T> info, Action<T> text)
    {
        if (json) Json(value, info);
        else text(value);
    }

    /// <summary>A result document of JSON output only, for verbs whose text came out line by line as they went.</summary>
    public void Json<T>(T value, JsonTypeInfo<T> info)
    {
        if (json) output.WriteLine(JsonSerializer.Serialize(value, info));
    }

    public void Flush() => output.Flush();
}
