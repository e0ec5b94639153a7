using System.Text;
using Taskmaster.Logging;

namespace Taskmaster.Supervision.Hooks;

/// <summary>
/// The last bytes a hook wrote, kept beside its log file so a failure's activity line can quote its last line.
/// Written by the capture thread, read by the loop once the hook is reaped: a lock around a small copy, never held
/// while waiting. What the capture had not read yet when the exit was reported is in the log file only.
/// </summary>
internal sealed class OutputTail : IOutputTap
{
    private const int Capacity = 1024;
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[Capacity];
    private int _length;

    public void Observe(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (data.Length >= Capacity)
            {
                data[^Capacity..].CopyTo(_buffer);
                _length = Capacity;
                return;
            }
            var keep = Math.Min(_length, Capacity - data.Length);
            _buffer.AsSpan(_length - keep, keep).CopyTo(_buffer);
            data.CopyTo(_buffer.AsSpan(keep));
            _length = keep + data.Length;
        }
    }

    /// <summary>The last non-empty line seen (at most 200 characters), or null when nothing was.</summary>
    public string? LastLine()
    {
        string text;
        lock (_gate) text = Encoding.UTF8.GetString(_buffer, 0, _length);
        var line = text.Split('\n').Select(l => l.TrimEnd('\r').Trim()).LastOrDefault(l => l.Length > 0);
        return line is { Length: > 200 } ? line[..200] : line;
    }
}
