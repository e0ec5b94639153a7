// supervisor's capture mode on one output stream: what a child writes between <!--XSUPERVISOR:BEGIN--> and
// <!--XSUPERVISOR:END--> becomes one PROCESS_COMMUNICATION event (its last capture_maxbytes bytes). Everything but
// the tokens is output all the same (supervisord sends PROCESS_LOG events for the block's text too). A token may be
// cut across reads: the end of a read that could be the start of the token waits for the next read.
namespace Taskmaster.Supervision.Eventing;

/// <summary>Splits one stream into ordinary output and captured blocks (loop thread only).</summary>
internal sealed class CommunicationCapture(long maxBytes)
{
    private static readonly byte[] Begin = "<!--XSUPERVISOR:BEGIN-->"u8.ToArray();
    private static readonly byte[] End = "<!--XSUPERVISOR:END-->"u8.ToArray();

    private byte[] _pending = [];
    private readonly List<byte> _captured = [];
    private bool _capturing;

    /// <summary>Reads <paramref name="data"/>; the text between tokens goes to <paramref name="text"/> piece by piece,
    /// each finished block to <paramref name="block"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, Action<byte[]> text, Action<byte[]> block)
    {
        var buffer = new byte[_pending.Length + data.Length];
        _pending.CopyTo(buffer, 0);
        data.CopyTo(buffer.AsSpan(_pending.Length));
        var start = 0;
        while (true)
        {
            var token = _capturing ? End : Begin;
            var rest = buffer.AsSpan(start);
            var at = rest.IndexOf(token);
            if (at < 0)
            {
                var keep = PrefixAtEnd(rest, token);
                Take(rest[..^keep], text);
                _pending = rest[^keep..].ToArray();
                return;
            }
            Take(rest[..at], text);
            if (_capturing)
            {
                block([.. _captured]);
                _captured.Clear();
            }
            _capturing = !_capturing;
            start += at + token.Length;
        }
    }

    private void Take(ReadOnlySpan<byte> part, Action<byte[]> text)
    {
        if (part.IsEmpty) return;
        text(part.ToArray());
        if (!_capturing) return;
        foreach (var b in part) _captured.Add(b);
        // Only the last maxBytes of a block are kept, as supervisor's bounded capture log keeps them.
        if (_captured.Count > maxBytes) _captured.RemoveRange(0, (int)(_captured.Count - maxBytes));
    }

    /// <summary>The length of the longest end of <paramref name="data"/> that begins <paramref name="token"/>.</summary>
    private static int PrefixAtEnd(ReadOnlySpan<byte> data, byte[] token)
    {
        for (var length = Math.Min(token.Length - 1, data.Length); length > 0; length--)
            if (data[^length..].SequenceEqual(token.AsSpan(0, length))) return length;
        return 0;
    }
}
