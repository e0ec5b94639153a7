// Stamps the lines of one captured stream (log_timestamps) on their way into the log file.
//
// Where: in the capture path itself, between a read and its write, so a stamp always sits at a line start of this
// stream. The stamper remembers whether the last write ended a line: a partial line written now (a prompt) gets its
// stamp, and its rest, read later, gets none. Each chunk read is one write of stamped lines (one lock, one write(2)),
// so the file's rotation at line boundaries and the other stream's writes never land between a stamp and its line.
//
// What it costs: nothing when a program has no stamps (no stamper exists; the pipe writes as before). With stamps,
// per chunk: one clock read, the stamp rendered again only when the millisecond changed, one count of newlines
// (vectorised), one pooled buffer of chunk + stamps, one copy. Per line: an IndexOf and two copies, no allocation.
// Every line of one chunk carries the chunk's time: they were read together, and the chunk is at most one read.
using System.Buffers;
using Taskmaster.Config;

namespace Taskmaster.Logging;

/// <summary>Writes one stream's output with <see cref="LogStampFormat"/> stamps at each line start.</summary>
internal sealed class LineStamper(LogStampFormat format, TimeProvider? time = null)
{
    private static readonly byte[][] MonthNames = [.. "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".Split(' ').Select(m => System.Text.Encoding.ASCII.GetBytes(m))];
    private static readonly byte[][] DayNames = [.. "Sun Mon Tue Wed Thu Fri Sat".Split(' ').Select(d => System.Text.Encoding.ASCII.GetBytes(d))];

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly byte[] _stamp = new byte[format.MaxBytes];
    private int _stampLength;
    private long _renderedMillisecond = long.MinValue;
    private bool _atLineStart = true;

    public LogStampFormat Format => format;

    /// <summary>Writes <paramref name="data"/> to <paramref name="file"/>, a stamp before each line that starts in it.</summary>
    public void Write(RotatingLogFile file, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        var stamp = Current();
        int starts = (_atLineStart ? 1 : 0) + data[..^1].Count((byte)'\n');
        byte[] rented = ArrayPool<byte>.Shared.Rent(data.Length + starts * stamp.Length);
        try
        {
            int length = Stamp(data, stamp, rented);
            file.Write(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Copies <paramref name="data"/> into <paramref name="output"/> with <paramref name="stamp"/> at each line
    /// start; returns the length written.</summary>
    internal int Stamp(ReadOnlySpan<byte> data, ReadOnlySpan<byte> stamp, Span<byte> output)
    {
        int written = 0;
        bool atStart = _atLineStart;
        while (!data.IsEmpty)
        {
            if (atStart)
            {
                stamp.CopyTo(output[written..]);
                written += stamp.Length;
            }
            int newline = data.IndexOf((byte)'\n');
            int take = newline < 0 ? data.Length : newline + 1;
            data[..take].CopyTo(output[written..]);
            written += take;
            data = data[take..];
            atStart = newline >= 0;
        }
        _atLineStart = atStart;
        return written;
    }

    /// <summary>The stamp for now, with its separating space; rendered again only when the millisecond changed.</summary>
    internal ReadOnlySpan<byte> Current()
    {
        var now = _time.GetUtcNow();
        long millisecond = now.UtcTicks / TimeSpan.TicksPerMillisecond;
        if (millisecond != _renderedMillisecond)
        {
            _stampLength = Render(format.Utc ? now : now.ToOffset(TimeZoneInfo.Local.GetUtcOffset(now.UtcDateTime)), _stamp);
            _renderedMillisecond = millisecond;
        }
        return _stamp.AsSpan(0, _stampLength);
    }

    /// <summary>Writes the stamp for <paramref name="t"/> and a space into <paramref name="into"/>.</summary>
    internal int Render(DateTimeOffset t, Span<byte> into)
    {
        int n = 0;
        foreach (var field in format.Fields)
        {
            switch (field.Kind)
            {
                case StampFieldKind.Literal: field.Literal.AsSpan().CopyTo(into[n..]); n += field.Literal.Length; break;
                case StampFieldKind.Year: n += Digits(into[n..], t.Year, 4); break;
                case StampFieldKind.Year2: n += Digits(into[n..], t.Year % 100, 2); break;
                case StampFieldKind.Month: n += Digits(into[n..], t.Month, 2); break;
                case StampFieldKind.Day: n += Digits(into[n..], t.Day, 2); break;
                case StampFieldKind.DaySpace:
                    if (t.Day < 10) into[n++] = (byte)' ';
                    n += Digits(into[n..], t.Day, t.Day < 10 ? 1 : 2);
                    break;
                case StampFieldKind.Hour: n += Digits(into[n..], t.Hour, 2); break;
                case StampFieldKind.Hour12: n += Digits(into[n..], t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2); break;
                case StampFieldKind.Minute: n += Digits(into[n..], t.Minute, 2); break;
                case StampFieldKind.Second: n += Digits(into[n..], t.Second, 2); break;
                case StampFieldKind.Millisecond: n += Digits(into[n..], t.Millisecond, 3); break;
                case StampFieldKind.Microsecond: n += Digits(into[n..], (int)(t.Ticks % TimeSpan.TicksPerSecond / 10), 6); break;
                case StampFieldKind.DayOfYear: n += Digits(into[n..], t.DayOfYear, 3); break;
                case StampFieldKind.MonthName: MonthNames[t.Month - 1].CopyTo(into[n..]); n += 3; break;
                case StampFieldKind.DayName: DayNames[(int)t.DayOfWeek].CopyTo(into[n..]); n += 3; break;
                case StampFieldKind.AmPm: into[n++] = t.Hour < 12 ? (byte)'A' : (byte)'P'; into[n++] = (byte)'M'; break;
                case StampFieldKind.UnixSeconds:
                    t.ToUnixTimeSeconds().TryFormat(into[n..], out var w, default, System.Globalization.CultureInfo.InvariantCulture);
                    n += w;
                    break;
                case StampFieldKind.Offset or StampFieldKind.OffsetColon:
                    var minutes = (int)t.Offset.TotalMinutes;
                    into[n++] = minutes < 0 ? (byte)'-' : (byte)'+';
                    minutes = Math.Abs(minutes);
                    n += Digits(into[n..], minutes / 60, 2);
                    if (field.Kind == StampFieldKind.OffsetColon) into[n++] = (byte)':';
                    n += Digits(into[n..], minutes % 60, 2);
                    break;
            }
        }
        into[n++] = (byte)' ';
        return n;
    }

    private static int Digits(Span<byte> into, int value, int width)
    {
        for (int i = width - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + value % 10);
            value /= 10;
        }
        return width;
    }
}
