using System.Globalization;
using Taskmaster.Posix;

namespace Taskmaster.Config;

/// <summary>
/// <c>rlimit_*</c> values: <c>soft[:hard]</c>, each a number (a size such as <c>64MB</c> for the limits in bytes) or
/// <c>infinity</c>/<c>unlimited</c>. One value sets both, as systemd's <c>Limit*=</c> does.
/// </summary>
internal static class ResourceLimitParser
{
    /// <summary>A parser for one resource; <paramref name="bytes"/>: the limit is a size (KB, MB, GB accepted).</summary>
    public static ValueParser<ResourceLimit?> For(int resource, string name, bool bytes) =>
        (string text, out ResourceLimit? value, out ValueError error) =>
        {
            value = null;
            var t = text.Trim();
            var colon = t.IndexOf(':');
            var softText = colon < 0 ? t : t[..colon];
            var hardText = colon < 0 ? t : t[(colon + 1)..];
            var lead = text.Length - text.TrimStart().Length;
            if (!TryOne(softText, bytes, out var soft, out error))
                return Fail(ref error, lead);
            if (!TryOne(hardText, bytes, out var hard, out error))
                return Fail(ref error, lead + colon + 1);
            if (soft > hard)
            {
                error = new ValueError($"the soft limit {softText.Trim()} is above the hard limit {hardText.Trim()}", lead);
                return false;
            }
            value = new ResourceLimit(resource, name, soft, hard);
            return true;
        };

    private static bool Fail(ref ValueError error, int at)
    {
        error = error with { Offset = at };
        return false;
    }

    private static bool TryOne(string text, bool bytes, out ulong value, out ValueError error)
    {
        error = default;
        value = 0;
        var t = text.Trim();
        if (t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            value = ResourceLimits.Infinity;
            return true;
        }
        if (bytes && ValueParsers.ByteSize(t, out var size, out _))
        {
            value = (ulong)size;
            return true;
        }
        if (!bytes && ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value != ResourceLimits.Infinity)
            return true;
        error = new ValueError(t.Length == 0
            ? "a limit is missing (soft[:hard], each a number or infinity)"
            : $"'{t}' is not a limit (a {(bytes ? "size such as 64MB" : "number")}, or infinity)");
        return false;
    }
}
