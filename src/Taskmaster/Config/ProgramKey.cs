using System.Collections;
using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// One key of a program section, with everything about it in one entry of <see cref="ProgramKeys"/>: its names, its
/// default, how its value is read, what a reload does when it changes, how <c>--check</c> shows it and its row in
/// the reference table. The binder, <see cref="ProcessConfig"/>'s equality, the reload delta, the printer and the
/// README all go through these members, so none of them lists keys of its own.
/// </summary>
internal abstract class ProgramKey
{
    /// <summary>The canonical (supervisord) spelling: the key of <see cref="ProcessConfig.Origins"/>, of reload's
    /// field lists and of <c>--check</c>'s lines.</summary>
    public required string Name { get; init; }

    /// <summary>Other spellings that name the same key (the short dialect's <c>cmd</c> for <c>command</c>).</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];

    public required KeyDefault Default { get; init; }

    /// <summary>The reference table's one-line description.</summary>
    public required string Meaning { get; init; }

    /// <summary>False for a supervisord key that is accepted with a "not implemented" warning and nothing else.</summary>
    public bool Implemented { get; init; } = true;

    /// <summary>What a change costs a running instance; null when the key is not a setting of one instance.</summary>
    public OnReload? Reload { get; init; }

    /// <summary>A value other than the default, which the table's tests bind to prove the key reaches its property.</summary>
    public string? Example { get; init; }

    /// <summary>False for a setting that <c>--check</c> shows inside another key's line.</summary>
    public bool Printed { get; init; } = true;

    /// <summary>A second <c>--check</c> line under this key's (the argv a command runs as).</summary>
    public Func<ProcessConfig, (string Label, string Text)>? Detail { get; init; }

    /// <summary>True when the key is a setting of each instance: a <see cref="ProcessConfig"/> property holds it.</summary>
    public abstract bool IsSetting { get; }

    /// <summary>The key's reference-table row.</summary>
    public KeyInfo Info => new(SectionKind.Program, Name, Aliases, Default.Shown, Meaning, Implemented);

    /// <summary>Reads the key for one instance into <paramref name="config"/>; problems go to the section's diagnostics.</summary>
    internal abstract ProcessConfig Bind(InstanceScope at, ProcessConfig config);

    /// <summary>True when the setting differs between two instances' configurations.</summary>
    public abstract bool Differs(ProcessConfig a, ProcessConfig b);

    /// <summary>The value as <c>--check</c> shows it, or null when the key has no line of its own.</summary>
    public abstract string? Show(ProcessConfig config);

    /// <summary>Throws when the entry contradicts itself; the table runs it once for every key.</summary>
    internal abstract void Validate();
}

/// <summary>A program key whose value has type <typeparamref name="T"/>.</summary>
internal sealed class ProgramKey<T> : ProgramKey
{
    private T? _defaultValue;
    private bool _defaultParsed;

    /// <summary>Reads a value that means the same wherever it is written.</summary>
    public ValueParser<T>? Parse { get; init; }

    /// <summary>Reads a value whose meaning depends on the instance (a path relative to the file, an AUTO log);
    /// such a key's default is read again for every instance.</summary>
    public InstanceParser<T>? ParseIn { get; init; }

    /// <summary>The <see cref="ProcessConfig"/> property that holds the setting.</summary>
    public Func<ProcessConfig, T>? Get { get; init; }

    /// <summary>The configuration with the setting replaced.</summary>
    public Func<ProcessConfig, T, ProcessConfig>? With { get; init; }

    /// <summary>When two values are the same setting (lists compare by content).</summary>
    public Func<T, T, bool> Same { get; init; } = EqualityComparer<T>.Default.Equals;

    /// <summary>How <c>--check</c> writes a set value; plain text, numbers and booleans need none.</summary>
    public Func<T, string>? Format { get; init; }

    /// <summary>How <c>--check</c> writes the setting when that depends on other settings; null: no line (a pool key
    /// of a program that is not a listener).</summary>
    public Func<ProcessConfig, string?>? ShowWith { get; init; }

    /// <summary>A rule across keys, checked once this key is read from the file: the error, or null.</summary>
    public Func<ProcessConfig, string?>? Check { get; init; }

    public override bool IsSetting => Get is not null;

    /// <summary>The typed default that every instance shares (and <see cref="ProcessConfig"/>'s initialiser holds).</summary>
    /// <exception cref="InvalidOperationException">The default depends on the instance.</exception>
    public T DefaultValue
    {
        get
        {
            if (_defaultParsed) return _defaultValue!;
            if (Default.Text is null && Default.PerInstance is null)
                _defaultValue = default;
            else if (Default.Text is { } text && Parse is { } parse)
                _defaultValue = parse(text, out var value, out var error) ? value
                    : throw new InvalidOperationException($"the default of {Name}, '{text}', does not parse: {error.Message}");
            else
                throw new InvalidOperationException($"the default of {Name} depends on the instance");
            _defaultParsed = true;
            return _defaultValue!;
        }
    }

    internal bool TryParse(string text, InstanceScope? at, out T value, out ValueError error) =>
        Parse is { } parse ? parse(text, out value, out error) : ParseIn!(text, at!, out value, out error);

    /// <summary>The text to read when the file does not set the key, or null when <see cref="DefaultValue"/> holds.</summary>
    internal string? DefaultTextFor(InstanceScope at) =>
        Default.PerInstance?.Invoke(at) ?? (ParseIn is not null ? Default.Text : null);

    internal override ProcessConfig Bind(InstanceScope at, ProcessConfig config)
    {
        if (With is null || !at.TryRead(this, out var value)) return config;
        var bound = With(config, value);
        if (Check?.Invoke(bound) is { } problem) at.Error(problem);
        return bound;
    }

    public override bool Differs(ProcessConfig a, ProcessConfig b) => Get is { } get && !Same(get(a), get(b));

    public override string? Show(ProcessConfig config)
    {
        if (Get is null || !Printed) return null;
        if (ShowWith is { } show) return show(config);
        var value = Get(config);
        if (value is null || value is ICollection { Count: 0 }) return $"({Default.Shown})";
        return Format is { } format ? format(value) : ValueFormat.Plain(value);
    }

    internal override void Validate()
    {
        void Require(bool holds, string what)
        {
            if (!holds) throw new InvalidOperationException($"program key {Name}: {what}");
        }
        if (!Implemented)
        {
            Require(Parse is null && ParseIn is null && Get is null && With is null && Reload is null,
                "a key that is not implemented has no parser and no setting");
            return;
        }
        Require((Parse is null) != (ParseIn is null), "needs exactly one of Parse and ParseIn");
        Require((Get is null) == (With is null) && (Get is null) == (Reload is null),
            "a setting needs Get, With and Reload; a key read once per program needs none");
        Require(Get is null || Example is not null, "a setting needs an Example");
        Require(Get is not null || (Parse is not null && Default.PerInstance is null),
            "a key read once per program needs a default every instance shares");
        if (Parse is not null && Default.PerInstance is null) _ = DefaultValue;
    }
}
