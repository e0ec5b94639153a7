namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// One XML-RPC value: a closed set of plain records, so encoding and decoding are ordinary switches (no
/// reflection, NativeAOT-clean). Requests may carry every type clients send; replies use only int, boolean,
/// string, array and struct, the types supervisord emits and every client understands.
/// </summary>
public abstract record XmlRpcValue
{
    public static XmlRpcValue Of(string value) => new XmlRpcString(value);
    public static XmlRpcValue Of(bool value) => value ? XmlRpcBoolean.True : XmlRpcBoolean.False;
    public static XmlRpcValue Of(long value) => new XmlRpcInt(value);
}

/// <summary>An integer. Held as 64 bits so <c>i8</c> requests parse; written clamped to the 32-bit <c>&lt;int&gt;</c> range.</summary>
public sealed record XmlRpcInt(long Value) : XmlRpcValue;

public sealed record XmlRpcBoolean(bool Value) : XmlRpcValue
{
    public static readonly XmlRpcBoolean True = new(true);
    public static readonly XmlRpcBoolean False = new(false);
}

public sealed record XmlRpcString(string Value) : XmlRpcValue;

public sealed record XmlRpcDouble(double Value) : XmlRpcValue;

/// <summary>A <c>dateTime.iso8601</c>, kept as its text: no method takes one, and the formats clients send vary.</summary>
public sealed record XmlRpcDateTime(string Text) : XmlRpcValue;

public sealed record XmlRpcBase64(byte[] Bytes) : XmlRpcValue;

/// <summary>The <c>nil</c> extension (accepted in requests only).</summary>
public sealed record XmlRpcNil : XmlRpcValue
{
    public static readonly XmlRpcNil Instance = new();
}

public sealed record XmlRpcArray(IReadOnlyList<XmlRpcValue> Items) : XmlRpcValue;

/// <summary>A struct whose members keep their order: clients that print replies show supervisord's key order.</summary>
public sealed record XmlRpcStruct(IReadOnlyList<KeyValuePair<string, XmlRpcValue>> Members) : XmlRpcValue
{
    public XmlRpcValue? this[string name]
    {
        get
        {
            foreach (var (key, value) in Members)
                if (key == name) return value;
            return null;
        }
    }
}
