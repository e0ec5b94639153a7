using System.Globalization;
using System.Text;

namespace Taskmaster.Config;

/// <summary>A value an expansion such as <c>%(process_num)02d</c> can render: text or a number.</summary>
internal readonly record struct ExpansionValue(string? Text, long? Number)
{
    public static implicit operator ExpansionValue(string text) => new(text, null);
    public static implicit operator ExpansionValue(long number) => new(null, number);
    public override string ToString() => Text ?? Number!.Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A problem in a value, with the offset of the offending character inside it.</summary>
internal readonly record struct ValueError(string Message, int Offset = 0);

/// <summary>
/// Python's <c>str % dict</c> as supervisord applies it to config values: <c>%(name)s</c>,
/// <c>%(name)d</c> with printf flags and widths (<c>%(process_num)02d</c>), and <c>%%</c> for a
/// literal percent. Any other '%' is an error, as it is for supervisord.
/// </summary>
internal static class Expander
{
    public static bool TryExpand(string raw, IReadOnlyDictionary<string, ExpansionValue> names,
        out string expanded, out ValueError error)
    {
        expanded = raw;
        error = default;
        if (!raw.Contains('%')) return true;
        var sb = new StringBuilder(raw.Length + 16);
        var i = 0;
        while (i < raw.Length)
        {
            var ch = raw[i];
            if (ch != '%') { sb.Append(ch); i++; continue; }
            var start = i;
            if (i + 1 < raw.Length && raw[i + 1] == '%') { sb.Append('%'); i += 2; continue; }
            if (i + 1 >= raw.Length || raw[i + 1] != '(')
            {
                error = new ValueError("a lone '%' must be written '%%' (expansions look like %(name)s)", start);
                return false;
            }
            var close = raw.IndexOf(')', i + 2);
            if (close < 0)
            {
                error = new ValueError("unterminated expansion: missing ')' after '%('", start);
                return false;
            }
            var name = raw[(i + 2)..close];
            i = close + 1;
            var leftAlign = false; var zeroPad = false;
            while (i < raw.Length && raw[i] is '-' or '0' or ' ' or '+' or '#')
            {
                if (raw[i] == '-') leftAlign = true;
                if (raw[i] == '0') zeroPad = true;
                i++;
            }
            var width = 0;
            while (i < raw.Length && char.IsAsciiDigit(raw[i])) width = Math.Min(1000, width * 10 + (raw[i++] - '0'));
            if (i >= raw.Length || raw[i] is not ('s' or 'd' or 'i' or 'r'))
            {
                error = new ValueError($"expansion %({name}) needs a conversion such as 's' or 'd' (e.g. %({name})s)", start);
                return false;
            }
            var conversion = raw[i++];
            if (!names.TryGetValue(name, out var value))
            {
                error = new ValueError(UnknownName(name, names), start);
                return false;
            }
            string rendered;
            if (conversion is 'd' or 'i')
            {
                long number;
                if (value.Number is { } n) number = n;
                else
                {
                    error = new ValueError($"%({name}){conversion} needs a number but {name} is '{value.Text}'; use %({name})s", start);
                    return false;
                }
                rendered = number.ToString(CultureInfo.InvariantCulture);
                if (zeroPad && !leftAlign && rendered.Length < width)
                {
                    var negative = number < 0;
                    var digits = negative ? rendered[1..] : rendered;
                    rendered = (negative ? "-" : "") + digits.PadLeft(width - (negative ? 1 : 0), '0');
                }
            }
            else rendered = value.ToString();
            rendered = leftAlign ? rendered.PadRight(width) : rendered.PadLeft(width);
            sb.Append(rendered);
        }
        expanded = sb.ToString();
        return true;
    }

    private static string UnknownName(string name, IReadOnlyDictionary<string, ExpansionValue> names)
    {
        var known = names.Keys.Where(k => !k.StartsWith("ENV_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var hint = DidYouMean.Suggest(name, names.Keys);
        var suffix = hint is null ? "" : $" (did you mean %({hint})s?)";
        return $"unknown expansion %({name}){suffix}; available: {string.Join(", ", known)}, ENV_<variable>";
    }
}
