using System.Globalization;
using System.Text;
using System.Xml;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// Parses a <c>methodCall</c> body. Hostile input is the normal case here: DTDs are refused outright (no entity
/// expansion, no external fetches), the document's size, each text's length and the value nesting depth are
/// bounded, and every failure, whatever its cause, surfaces as one <see cref="XmlRpcParseException"/>.
/// At least as lenient as supervisord's parser: a bare <c>&lt;value&gt;text</c> is a string, a missing
/// <c>&lt;params&gt;</c> means no arguments, and unknown scalar types degrade to their text; on top of that
/// <c>i8</c>, <c>nil</c> (also with a namespace prefix such as <c>ex:</c>) and <c>true</c>/<c>false</c> booleans.
/// </summary>
public static class XmlRpcRequestReader
{
    /// <summary>Deepest array/struct nesting accepted; no supervisor method takes more than an array of structs of arrays.</summary>
    public const int MaxDepth = 32;

    /// <summary>Longest single text (string, name, base64) accepted, in characters.</summary>
    public const int MaxStringChars = 1 << 20;

    public static XmlRpcCall Parse(ReadOnlySpan<byte> body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = Math.Max(1024, body.Length * 2L),
            CloseInput = true,
        };
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            return ReadCall(reader);
        }
        catch (XmlRpcParseException) { throw; }
        catch (Exception e) when (e is XmlException or FormatException or OverflowException or InvalidOperationException
                                      or ArgumentException or DecoderFallbackException)
        {
            throw new XmlRpcParseException($"malformed XML-RPC request: {e.Message}", e);
        }
    }

    private static XmlRpcCall ReadCall(XmlReader r)
    {
        r.MoveToContent();
        Expect(r, "methodCall");
        if (r.IsEmptyElement) throw new XmlRpcParseException("no methodName");
        Advance(r);
        string? method = null;
        var parameters = new List<XmlRpcValue>();
        while (r.NodeType != XmlNodeType.EndElement)
        {
            if (r.NodeType != XmlNodeType.Element) throw new XmlRpcParseException($"unexpected {r.NodeType} in methodCall");
            switch (r.LocalName)
            {
                case "methodName":
                    method = ReadText(r).Trim();
                    break;
                case "params":
                    ReadParams(r, parameters);
                    break;
                default:
                    throw new XmlRpcParseException($"unexpected element <{r.Name}> in methodCall");
            }
        }
        if (string.IsNullOrEmpty(method)) throw new XmlRpcParseException("no methodName");
        // The rest of the document must be well-formed too (a second root element is an error).
        while (r.Read()) { }
        return new XmlRpcCall(method, parameters);
    }

    private static void ReadParams(XmlReader r, List<XmlRpcValue> into)
    {
        if (r.IsEmptyElement) { Advance(r); return; }
        Advance(r);
        while (r.NodeType != XmlNodeType.EndElement)
        {
            Expect(r, "param");
            if (r.IsEmptyElement) throw new XmlRpcParseException("empty <param>");
            Advance(r);
            into.Add(ReadValue(r, 0));
            ExpectEnd(r, "param");
        }
        Advance(r);
    }

    /// <summary>Reads one <c>&lt;value&gt;</c> (the reader on its start tag) and leaves the reader after its end tag.</summary>
    private static XmlRpcValue ReadValue(XmlReader r, int depth)
    {
        Expect(r, "value");
        if (r.IsEmptyElement) { Advance(r); return new XmlRpcString(""); }
        r.Read();
        // Text directly in <value> is a string; whitespace before a type element is layout.
        var text = ReadMixedText(r);
        if (r.NodeType == XmlNodeType.EndElement)
        {
            ExpectEnd(r, "value");
            return new XmlRpcString(text);
        }
        if (r.NodeType != XmlNodeType.Element || text.AsSpan().Trim().Length != 0)
            throw new XmlRpcParseException($"unexpected {r.NodeType} in <value>");
        var value = ReadTyped(r, depth);
        ExpectEnd(r, "value");
        return value;
    }

    private static XmlRpcValue ReadTyped(XmlReader r, int depth)
    {
        var type = r.LocalName;
        switch (type)
        {
            case "array":
                return ReadArray(r, depth + 1);
            case "struct":
                return ReadStruct(r, depth + 1);
            case "nil":
                Skip(r);
                return XmlRpcNil.Instance;
        }
        var text = ReadText(r);
        return type switch
        {
            "int" or "i4" or "i8" => new XmlRpcInt(long.Parse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture)),
            "boolean" => text.Trim() switch
            {
                "1" or "true" => XmlRpcBoolean.True,
                "0" or "false" => XmlRpcBoolean.False,
                _ => throw new XmlRpcParseException($"bad boolean {Clip(text)}"),
            },
            "double" => new XmlRpcDouble(double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture)),
            "dateTime.iso8601" => new XmlRpcDateTime(text.Trim()),
            "base64" => new XmlRpcBase64(Convert.FromBase64String(text.Trim())),
            _ => new XmlRpcString(text), // "string", and unknown scalar types, which supervisord also reads as text
        };
    }

    private static XmlRpcArray ReadArray(XmlReader r, int depth)
    {
        CheckDepth(depth);
        var items = new List<XmlRpcValue>();
        if (r.IsEmptyElement) { Advance(r); return new XmlRpcArray(items); }
        Advance(r);
        while (r.NodeType != XmlNodeType.EndElement)
        {
            Expect(r, "data");
            if (r.IsEmptyElement) { Advance(r); continue; }
            Advance(r);
            while (r.NodeType != XmlNodeType.EndElement)
                items.Add(ReadValue(r, depth));
            Advance(r);
        }
        Advance(r);
        return new XmlRpcArray(items);
    }

    private static XmlRpcStruct ReadStruct(XmlReader r, int depth)
    {
        CheckDepth(depth);
        var members = new List<KeyValuePair<string, XmlRpcValue>>();
        if (r.IsEmptyElement) { Advance(r); return new XmlRpcStruct(members); }
        Advance(r);
        while (r.NodeType != XmlNodeType.EndElement)
        {
            Expect(r, "member");
            if (r.IsEmptyElement) throw new XmlRpcParseException("empty <member>");
            Advance(r);
            string? name = null;
            XmlRpcValue? value = null;
            while (r.NodeType != XmlNodeType.EndElement)
            {
                if (r.NodeType == XmlNodeType.Element && r.LocalName == "name") name = ReadText(r);
                else if (r.NodeType == XmlNodeType.Element && r.LocalName == "value") value = ReadValue(r, depth);
                else throw new XmlRpcParseException($"unexpected {r.NodeType} {r.Name} in <member>");
            }
            Advance(r);
            if (name is null || value is null) throw new XmlRpcParseException("a struct member needs a name and a value");
            members.Add(new(name, value));
        }
        Advance(r);
        return new XmlRpcStruct(members);
    }

    /// <summary>Moves to the next node that is not layout whitespace (between structural elements).</summary>
    private static void Advance(XmlReader r)
    {
        r.Read();
        while (r.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace) r.Read();
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth) throw new XmlRpcParseException($"values nested deeper than {MaxDepth}");
    }

    /// <summary>The text content of a scalar element (start tag current), leaving the reader after its end tag.</summary>
    private static string ReadText(XmlReader r)
    {
        if (r.IsEmptyElement) { Advance(r); return ""; }
        var name = r.Name;
        r.Read();
        var text = ReadMixedText(r);
        if (r.NodeType != XmlNodeType.EndElement || r.Name != name)
            throw new XmlRpcParseException($"<{name}> must hold text only");
        Advance(r);
        return text;
    }

    /// <summary>Concatenates consecutive text nodes (text, CDATA, whitespace), bounded by <see cref="MaxStringChars"/>.</summary>
    private static string ReadMixedText(XmlReader r)
    {
        var builder = new StringBuilder();
        while (r.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
        {
            builder.Append(r.Value);
            if (builder.Length > MaxStringChars) throw new XmlRpcParseException($"a text longer than {MaxStringChars} characters");
            r.Read();
        }
        return builder.ToString();
    }

    private static void Skip(XmlReader r)
    {
        if (r.IsEmptyElement) { Advance(r); return; }
        var depth = r.Depth;
        Advance(r);
        while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth))
        {
            if (r.NodeType == XmlNodeType.Element) throw new XmlRpcParseException("<nil> must be empty");
            if (!r.Read()) throw new XmlRpcParseException("unexpected end of document");
        }
        Advance(r);
    }

    private static void Expect(XmlReader r, string element)
    {
        if (r.NodeType != XmlNodeType.Element || r.LocalName != element)
            throw new XmlRpcParseException($"expected <{element}>, found {Describe(r)}");
    }

    private static void ExpectEnd(XmlReader r, string element)
    {
        if (r.NodeType != XmlNodeType.EndElement || r.LocalName != element)
            throw new XmlRpcParseException($"expected </{element}>, found {Describe(r)}");
        Advance(r);
    }

    private static string Describe(XmlReader r) => r.NodeType switch
    {
        XmlNodeType.Element => $"<{r.Name}>",
        XmlNodeType.EndElement => $"</{r.Name}>",
        XmlNodeType.None => "the end of the document",
        _ => r.NodeType.ToString(),
    };

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
