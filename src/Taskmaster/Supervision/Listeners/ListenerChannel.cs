// A listener's stdout, parsed as supervisor's protocol: "READY\n" in ACKNOWLEDGED; nothing at all in READY; in
// BUSY a line whose eighth character on is the result's length (supervisor skips "RESULT " without reading it),
// then that many bytes. supervisor's default handler takes exactly "OK"; any other body rejects the event, which
// is then sent again. Bytes are judged as they come, so a result may arrive in any number of pieces.
// Memory stays bounded whatever a listener writes (supervisord buffers it all): a result line longer than
// MaxResultLine is a protocol error, and a body is never kept, only counted (only a 2-byte body can be "OK").
using System.Globalization;
using System.Text;
using Taskmaster.Events;

namespace Taskmaster.Supervision.Listeners;

/// <summary>The protocol state of one listener process and the event it holds (loop thread only).</summary>
internal sealed class ListenerChannel
{
    private const string ReadyToken = "READY\n";
    private const int ResultTokenLength = 7; // "RESULT "

    /// <summary>"RESULT " and a number fit in a few dozen bytes; a longer line without its newline is garbage, and
    /// waiting for its end would buffer whatever the listener writes.</summary>
    internal const int MaxResultLine = 4096;

    private readonly List<byte> _pending = [];
    private int? _resultLength;      // the body's declared length, once the result line is read
    private int _bodyRemaining;      // bytes of the body not read yet
    private bool _bodyIsOk;          // a 2-byte body that has matched "OK" so far

    /// <summary>Bytes held while waiting for the rest of a token or a line (for the tests: it stays bounded).</summary>
    internal int Buffered => _pending.Count;

    public ListenerState State { get; private set; } = ListenerState.Acknowledged;

    /// <summary>The event sent and not answered yet, with its pool serial.</summary>
    public (SupervisorEvent Event, long PoolSerial)? InFlight { get; private set; }

    /// <summary>A new child: ACKNOWLEDGED, nothing held (an in-flight event was taken back by the caller).</summary>
    public void Reset()
    {
        State = ListenerState.Acknowledged;
        InFlight = null;
        _pending.Clear();
        _resultLength = null;
    }

    /// <summary>The event is on its way to the listener.</summary>
    public void Sent(SupervisorEvent e, long poolSerial)
    {
        InFlight = (e, poolSerial);
        State = ListenerState.Busy;
    }

    /// <summary>Its stdin is broken: it can be sent nothing more until it is restarted.</summary>
    public void Broke()
    {
        State = ListenerState.Unknown;
        _pending.Clear();
        _resultLength = null;
    }

    /// <summary>Takes the unanswered event back (the listener died or broke the protocol).</summary>
    public (SupervisorEvent Event, long PoolSerial)? TakeBack()
    {
        var e = InFlight;
        InFlight = null;
        return e;
    }

    /// <summary>Reads what the listener wrote; each protocol step it completes is reported to <paramref name="step"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, Action<ListenerResult, string?, (SupervisorEvent Event, long PoolSerial)?> step)
    {
        if (State == ListenerState.Unknown) return;
        foreach (var b in data) _pending.Add(b);
        // Step until one needs more bytes: an empty buffer can still complete a step (a body of length 0).
        while (State != ListenerState.Unknown && Step(step)) { }
        if (State == ListenerState.Unknown) _pending.Clear();
    }

    /// <summary>One protocol step; false when more bytes are needed.</summary>
    private bool Step(Action<ListenerResult, string?, (SupervisorEvent Event, long PoolSerial)?> step)
    {
        switch (State)
        {
            case ListenerState.Acknowledged:
                if (_pending.Count < ReadyToken.Length) return false;
                if (StartsWithReady())
                {
                    _pending.RemoveRange(0, ReadyToken.Length);
                    State = ListenerState.Ready;
                    step(ListenerResult.Ready, null, null);
                    return true;
                }
                Fail(step, "sent something else than READY");
                return false;
            case ListenerState.Ready:
                if (_pending.Count == 0) return false;
                Fail(step, "wrote output while READY, before it was sent an event");
                return false;
            case ListenerState.Busy:
                if (_resultLength is null)
                {
                    var newline = _pending.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        if (_pending.Count > MaxResultLine) Fail(step, $"result line longer than {MaxResultLine} bytes");
                        return false;
                    }
                    var line = Encoding.UTF8.GetString(_pending.GetRange(0, newline).ToArray());
                    _pending.RemoveRange(0, newline + 1);
                    var lengthText = line.Length > ResultTokenLength ? line[ResultTokenLength..] : "";
                    if (!int.TryParse(lengthText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) || length < 0)
                    {
                        Fail(step, $"bad result line: '{line}'");
                        return false;
                    }
                    _resultLength = length;
                    _bodyRemaining = length;
                    _bodyIsOk = length == 2;
                    return true;
                }
                var take = Math.Min(_bodyRemaining, _pending.Count);
                for (var i = 0; i < take && _bodyIsOk; i++)
                    _bodyIsOk = _pending[i] == "OK"[_resultLength.Value - _bodyRemaining + i];
                _pending.RemoveRange(0, take);
                _bodyRemaining -= take;
                if (_bodyRemaining > 0) return false;
                _resultLength = null;
                var answered = InFlight;
                InFlight = null;
                State = ListenerState.Acknowledged;
                step(_bodyIsOk ? ListenerResult.Accepted : ListenerResult.Rejected, null, answered);
                return true;
            default:
                return false;
        }
    }

    private bool StartsWithReady()
    {
        for (var i = 0; i < ReadyToken.Length; i++)
            if (_pending[i] != ReadyToken[i]) return false;
        return true;
    }

    private void Fail(Action<ListenerResult, string?, (SupervisorEvent Event, long PoolSerial)?> step, string why)
    {
        State = ListenerState.Unknown;
        _pending.Clear();
        _resultLength = null;
        var held = InFlight;
        InFlight = null;
        step(ListenerResult.ProtocolError, why, held);
    }
}
