using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Taskmaster.Config;

/// <summary>
/// The names one section's values may expand: its own (<c>here</c>, <c>program_name</c>, <c>process_num</c>, the
/// program's <c>ENV_</c> variables…) over the daemon's environment, which every section shares. The environment
/// is looked through, never copied: every instance of every program gets names of its own, and a copy of the
/// environment for each would be a large share of binding a big file (docs/BENCHMARKS.md, "Scale-up of 1000
/// (third round)").
/// </summary>
internal sealed class ExpansionNames(IReadOnlyDictionary<string, ExpansionValue> shared) : IReadOnlyDictionary<string, ExpansionValue>
{
    private readonly Dictionary<string, ExpansionValue> _own = new(StringComparer.Ordinal);

    public ExpansionNames() : this(new Dictionary<string, ExpansionValue>()) { }

    /// <summary>Sets one of the section's own names; it hides a shared one of the same name.</summary>
    public ExpansionValue this[string name]
    {
        get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException(name);
        set => _own[name] = value;
    }

    /// <summary>Forgets the section's own <c>ENV_</c> names (those of the previous instance of a program).</summary>
    public void ForgetOwnVariables()
    {
        foreach (var name in _own.Keys.Where(k => k.StartsWith("ENV_", StringComparison.Ordinal)).ToList())
            _own.Remove(name);
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ExpansionValue value) =>
        _own.TryGetValue(key, out value) || shared.TryGetValue(key, out value);

    public bool ContainsKey(string key) => _own.ContainsKey(key) || shared.ContainsKey(key);

    public IEnumerable<string> Keys => _own.Keys.Concat(shared.Keys.Where(k => !_own.ContainsKey(k)));

    public IEnumerable<ExpansionValue> Values => Keys.Select(k => this[k]);

    public int Count => Keys.Count();

    public IEnumerator<KeyValuePair<string, ExpansionValue>> GetEnumerator() =>
        Keys.Select(k => new KeyValuePair<string, ExpansionValue>(k, this[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
