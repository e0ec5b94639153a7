using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Taskmaster.Daemon.Control.Metrics;

/// <summary>
/// Writes Prometheus's text exposition format (version 0.0.4) to a response: each family's HELP and TYPE line, then
/// its samples, label values escaped as the format requires. Text goes out in chunks of a few tens of kilobytes,
/// so a scrape of a thousand processes never builds its whole answer in memory.
/// </summary>
internal sealed class PrometheusText(HttpResponse response)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    private const int FlushChars = 16 * 1024;
    private readonly StringBuilder _text = new(FlushChars + 1024);

    public void Family(string name, string type, string help) =>
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
             .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public void Sample(string name, double value) => Value(_text.Append(name), value);

    public void Sample(string name, string label1, string value1, string label2, string value2, double value) =>
        Value(Label(Label(_text.Append(name).Append('{'), label1, value1).Append(','), label2, value2).Append('}'), value);

    public void Sample(string name, string label1, string value1, string label2, string value2, string label3, string value3, double value) =>
        Value(Label(Label(Label(_text.Append(name).Append('{'), label1, value1).Append(','), label2, value2).Append(','),
            label3, value3).Append('}'), value);

    public void Sample(string name, string label1, string value1, string label2, string value2, string label3, string value3,
        string label4, string value4, double value) =>
        Value(Label(Label(Label(Label(_text.Append(name).Append('{'), label1, value1).Append(','), label2, value2).Append(','),
            label3, value3).Append(','), label4, value4).Append('}'), value);

    /// <summary>Sends what has gathered once it is large enough; call between samples.</summary>
    public ValueTask FlushIfLargeAsync(CancellationToken ct) =>
        _text.Length >= FlushChars ? FlushAsync(ct) : ValueTask.CompletedTask;

    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_text.Length == 0) return;
        var chunk = _text.ToString();
        _text.Clear();
        await response.WriteAsync(chunk, ct).ConfigureAwait(false);
    }

    private static StringBuilder Label(StringBuilder text, string name, string value)
    {
        text.Append(name).Append("=\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"');
    }

    private static void Value(StringBuilder text, double value)
    {
        text.Append(' ');
        if (double.IsNaN(value)) text.Append("NaN");
        else if (double.IsPositiveInfinity(value)) text.Append("+Inf");
        else if (double.IsNegativeInfinity(value)) text.Append("-Inf");
        else if (value == Math.Floor(value) && Math.Abs(value) < 1e15) text.Append((long)value);
        else text.Append(value.ToString("R", CultureInfo.InvariantCulture));
        text.Append('\n');
    }
}
