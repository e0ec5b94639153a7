using System.Globalization;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// A call's parameters read the way supervisord's Python does: a wrong count is INCORRECT_PARAMETERS; an int may
/// arrive as a numeric string (it calls <c>int()</c>), a flag as any truthy value.
/// </summary>
public readonly struct XmlRpcArguments(IReadOnlyList<XmlRpcValue> values)
{
    public int Count => values.Count;

    public string String(int index) => values[index] switch
    {
        XmlRpcString s => s.Value,
        XmlRpcInt i => i.Value.ToString(CultureInfo.InvariantCulture),
        var other => throw new XmlRpcFault(ErrorCode.IncorrectParameters, $"parameter {index + 1} must be a string, not {Describe(other)}"),
    };

    public long Int(int index) => values[index] switch
    {
        XmlRpcInt i => i.Value,
        XmlRpcBoolean b => b.Value ? 1 : 0,
        XmlRpcDouble d when double.IsFinite(d.Value) => (long)Math.Clamp(Math.Truncate(d.Value), long.MinValue, long.MaxValue),
        XmlRpcString s when long.TryParse(s.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        var other => throw new XmlRpcFault(ErrorCode.IncorrectParameters, $"parameter {index + 1} must be an int, not {Describe(other)}"),
    };

    /// <summary>Python truthiness, with <paramref name="fallback"/> when the parameter was not sent.</summary>
    public bool Flag(int index, bool fallback) => index >= values.Count ? fallback : values[index] switch
    {
        XmlRpcBoolean b => b.Value,
        XmlRpcInt i => i.Value != 0,
        XmlRpcString s => s.Value.Length != 0,
        XmlRpcNil => false,
        XmlRpcArray a => a.Items.Count != 0,
        XmlRpcStruct st => st.Members.Count != 0,
        XmlRpcDouble d => d.Value != 0,
        _ => true,
    };

    public XmlRpcValue this[int index] => values[index];

    private static string Describe(XmlRpcValue value) => value switch
    {
        XmlRpcArray => "an array",
        XmlRpcStruct => "a struct",
        XmlRpcNil => "nil",
        _ => value.GetType().Name.Replace("XmlRpc", "", StringComparison.Ordinal).ToLowerInvariant(),
    };
}
