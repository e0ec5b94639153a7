namespace Taskmaster.Config;

/// <summary>
/// Expands one <c>[include] files=</c> pattern like Python's glob: <c>*</c>, <c>?</c> and
/// <c>[...]</c> in any path segment, hidden names only when the pattern segment starts with '.',
/// results sorted so includes load in a stable order.
/// </summary>
internal static class IncludeGlob
{
    public static List<string> Expand(string pattern, string baseDirectory)
    {
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDirectory, pattern);
        var segments = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "/" };
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            var last = s == segments.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (!HasWildcard(segment))
                {
                    var candidate = Path.Combine(dir, segment);
                    if (last ? File.Exists(candidate) : Directory.Exists(candidate)) next.Add(candidate);
                    continue;
                }
                IEnumerable<string> entries;
                try
                {
                    entries = last ? Directory.EnumerateFiles(dir) : Directory.EnumerateDirectories(dir);
                    entries = entries.ToList();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                foreach (var entry in entries)
                {
                    var name = Path.GetFileName(entry);
                    if (name.StartsWith('.') && !segment.StartsWith('.')) continue;
                    if (Matches(segment, 0, name, 0)) next.Add(entry);
                }
            }
            current = next;
            if (current.Count == 0) break;
        }
        current.Sort(StringComparer.Ordinal);
        return current;
    }

    public static bool HasWildcard(string text) => text.IndexOfAny(['*', '?', '[']) >= 0;

    private static bool Matches(string p, int pi, string n, int ni)
    {
        while (pi < p.Length)
        {
            switch (p[pi])
            {
                case '*':
                    for (var k = ni; k <= n.Length; k++)
                        if (Matches(p, pi + 1, n, k)) return true;
                    return false;
                case '?':
                    if (ni >= n.Length) return false;
                    pi++; ni++;
                    continue;
                case '[':
                    var close = p.IndexOf(']', pi + 2);
                    if (close < 0) goto default;
                    if (ni >= n.Length) return false;
                    var set = p[(pi + 1)..close];
                    var negate = set[0] is '!' or '^';
                    if (negate) set = set[1..];
                    var hit = false;
                    for (var k = 0; k < set.Length; k++)
                    {
                        if (k + 2 < set.Length && set[k + 1] == '-')
                        {
                            if (n[ni] >= set[k] && n[ni] <= set[k + 2]) hit = true;
                            k += 2;
                        }
                        else if (n[ni] == set[k]) hit = true;
                    }
                    if (hit == negate) return false;
                    pi = close + 1; ni++;
                    continue;
                default:
                    if (ni >= n.Length || n[ni] != p[pi]) return false;
                    pi++; ni++;
                    continue;
            }
        }
        return ni == n.Length;
    }
}
