using System.Globalization;
using System.Text;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// Writes <c>methodResponse</c> bodies byte for byte as supervisord does (Python's <c>xmlrpc.client.dumps</c>: the
/// same elements, line breaks and escaping), so clients that compare or scrape replies see no difference. Every
/// string is made deliverable first: characters XML 1.0 forbids (control characters, U+FFFE/U+FFFF, lone
/// surrogates) become U+FFFD, because no client could parse the reply otherwise. Ints are clamped to 32 bits,
/// the only width every client reads.
/// </summary>
public static class XmlRpcResponseWriter
{
    private const string Prolog = "<?xml version='1.0'?>\n<methodResponse>\n";

    public static byte[] Success(XmlRpcValue value)
    {
        var text = new StringBuilder(256);
        text.Append(Prolog).Append("<params>\n<param>\n");
        AppendValue(text, value);
        text.Append("</param>\n</params>\n</methodResponse>\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Fault(int code, string faultString)
    {
        var text = new StringBuilder(256);
        text.Append(Prolog).Append("<fault>\n");
        AppendValue(text, FaultStruct(code, faultString));
        text.Append("</fault>\n</methodResponse>\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The <c>{faultCode, faultString}</c> struct, also what system.multicall puts in a failed call's slot.</summary>
    public static XmlRpcStruct FaultStruct(int code, string faultString) => new(
    [
        new("faultCode", new XmlRpcInt(code)),
        new("faultString", new XmlRpcString(faultString)),
    ]);

    public static int Clamp(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);

    private static void AppendValue(StringBuilder text, XmlRpcValue value)
    {
        text.Append("<value>");
        switch (value)
        {
            case XmlRpcInt i:
                text.Append("<int>").Append(Clamp(i.Value).ToString(CultureInfo.InvariantCulture)).Append("</int>");
                break;
            case XmlRpcBoolean b:
                text.Append(b.Value ? "<boolean>1</boolean>" : "<boolean>0</boolean>");
                break;
            case XmlRpcString s:
                text.Append("<string>");
                AppendEscaped(text, s.Value);
                text.Append("</string>");
                break;
            case XmlRpcDouble d:
                text.Append("<double>").Append(d.Value.ToString("R", CultureInfo.InvariantCulture)).Append("</double>");
                break;
            case XmlRpcArray a:
                text.Append("<array><data>\n");
                foreach (var item in a.Items) AppendValue(text, item);
                text.Append("</data></array>");
                break;
            case XmlRpcStruct st:
                text.Append("<struct>\n");
                foreach (var (name, member) in st.Members)
                {
                    text.Append("<member>\n<name>");
                    AppendEscaped(text, name);
                    text.Append("</name>\n");
                    AppendValue(text, member);
                    text.Append("</member>\n");
                }
                text.Append("</struct>");
                break;
            case XmlRpcDateTime dt:
                // Never produced by a method; written as text so no client meets a type it may not know.
                text.Append("<string>");
                AppendEscaped(text, dt.Text);
                text.Append("</string>");
                break;
            case XmlRpcBase64 b64:
                text.Append("<base64>\n").Append(Convert.ToBase64String(b64.Bytes)).Append("\n</base64>");
                break;
            case XmlRpcNil:
                // supervisord runs without allow_none and never emits nil; neither do we.
                text.Append("<string></string>");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name);
        }
        text.Append("</value>\n");
    }

    /// <summary>Escapes <c>&amp; &lt; &gt;</c> (as supervisord) and replaces what XML 1.0 cannot carry by U+FFFD.</summary>
    public static void AppendEscaped(StringBuilder text, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '&': text.Append("&amp;"); continue;
                case '<': text.Append("&lt;"); continue;
                case '>': text.Append("&gt;"); continue;
                case '\t' or '\n' or '\r': text.Append(c); continue;
            }
            if (c < ' ' || c is '\uFFFE' or '\uFFFF')
            {
                text.Append('\uFFFD');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                text.Append('\uFFFD');
            }
            else
            {
                text.Append(c);
            }
        }
    }
}
