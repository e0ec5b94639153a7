namespace Taskmaster.Config;

/// <summary>
/// A key's default, written once and as a user would write the value: the reference table shows that text and the
/// key's own parser turns it into the typed default, so the two cannot disagree. Some defaults are not a value:
/// nothing (<see cref="Unset"/>: inherit, none), a key that must be written (<see cref="Required"/>), or a text that
/// depends on the instance (<see cref="PerInstance"/>).
/// </summary>
internal sealed class KeyDefault
{
    private KeyDefault(string shown, string? text, Func<InstanceScope, string>? perInstance, bool isRequired)
    {
        Shown = shown;
        Text = text;
        PerInstance = perInstance;
        IsRequired = isRequired;
    }

    /// <summary>How the reference table (and <c>--check</c>, in parentheses, for an unset value) shows it.</summary>
    public string Shown { get; }

    /// <summary>The value text the key's parser reads as its default; null when the default is not a value.</summary>
    public string? Text { get; }

    /// <summary>The default's value text for one instance, when it depends on the instance.</summary>
    public Func<InstanceScope, string>? PerInstance { get; }

    public bool IsRequired { get; }

    /// <summary>A value text, shown as written.</summary>
    public static implicit operator KeyDefault(string text) => new(text, text, null, false);

    /// <summary>A value text shown as a word (the empty list as <c>none</c>).</summary>
    public static KeyDefault Parsed(string text, string shown) => new(shown, text, null, false);

    /// <summary>No value (the property's null): the child inherits the daemon's, or nothing applies.</summary>
    public static KeyDefault Unset(string shown) => new(shown, null, null, false);

    /// <summary>No default: a section without the key is an error.</summary>
    public static KeyDefault Required { get; } = new("required", null, null, true);

    /// <summary>A value text that depends on the instance (expanded like a written value).</summary>
    public static KeyDefault For(string shown, Func<InstanceScope, string> text) => new(shown, null, text, false);
}
