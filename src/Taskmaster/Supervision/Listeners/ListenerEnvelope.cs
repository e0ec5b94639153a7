using System.Globalization;
using System.Text;
using Taskmaster.Events;

namespace Taskmaster.Supervision.Listeners;

/// <summary>
/// The bytes a listener reads for one event: supervisor's header line, then the payload. <c>len</c> counts the
/// payload's characters (code points), not its bytes, as supervisor 4.x counts them (Python's <c>len(str)</c>);
/// a listener reading text reads that many characters.
/// </summary>
internal static class ListenerEnvelope
{
    public static byte[] For(SupervisorEvent e, long poolSerial, string server, string pool)
    {
        var length = CodePoints(e.Payload);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"ver:3.0 server:{server} serial:{e.Serial} pool:{pool} poolserial:{poolSerial} eventname:{e.TypeName} len:{length}\n{e.Payload}");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Python's <c>len</c> of the text: a surrogate pair is one character.</summary>
    internal static int CodePoints(string text)
    {
        var count = text.Length;
        foreach (var c in text)
            if (char.IsLowSurrogate(c)) count--;
        return count;
    }
}
