namespace Taskmaster.Names;

/// <summary>
/// supervisorctl's name for what a command acts on, the one rule every command, the engine, the API and the client
/// share: <c>all</c>; <c>group:*</c> or <c>group:</c> (the group's processes); <c>group:process</c>; a bare
/// <c>name</c>, which is the process <c>name:name</c>, the single process of a program whose group took its name.
/// A bare name never means a whole group: with <c>numprocs=2</c> the group <c>web</c> holds <c>web:web_0</c> and
/// <c>web:web_1</c>, so <c>web</c> names nothing (supervisord 4.2.5 answers <c>web: ERROR (no such process)</c> to
/// every command) and <c>web:*</c> names both. The text splits at its first colon, surrounding blanks ignored.
/// </summary>
public readonly record struct Namespec
{
    private Namespec(NameScope scope, string group, string? process)
    {
        Scope = scope;
        Group = group;
        Process = process;
    }

    public NameScope Scope { get; }

    /// <summary>The group; empty for <see cref="NameScope.All"/>.</summary>
    public string Group { get; }

    /// <summary>The process within <see cref="Group"/>; null unless <see cref="Scope"/> is <see cref="NameScope.Process"/>.</summary>
    public string? Process { get; }

    public static Namespec All { get; } = new(NameScope.All, "", null);

    public static Namespec OfGroup(string group) => new(NameScope.Group, group, null);

    public static Namespec OfProcess(string group, string process) => new(NameScope.Process, group, process);

    public static Namespec Parse(string text)
    {
        text = text.Trim();
        if (text == "all") return All;
        var colon = text.IndexOf(':');
        if (colon < 0) return OfProcess(text, text);
        var process = text[(colon + 1)..];
        return process is "" or "*" ? OfGroup(text[..colon]) : OfProcess(text[..colon], process);
    }

    /// <summary>How a process is printed and accepted: <c>group:process</c>, or just <c>process</c> when the group
    /// has its name (supervisorctl's make_namespec).</summary>
    public static string Format(string group, string process) => group == process ? process : $"{group}:{process}";

    /// <summary>Whether the process <paramref name="process"/> of <paramref name="group"/> is among those this names.</summary>
    public bool Selects(string group, string process) => Scope switch
    {
        NameScope.All => true,
        NameScope.Group => group == Group,
        _ => group == Group && process == Process,
    };

    /// <summary>Whether this names exactly that one process (what single-process commands such as <c>pid</c>,
    /// <c>tail</c> and <c>fg</c> accept).</summary>
    public bool Designates(string group, string process) => Scope == NameScope.Process && Selects(group, process);

    public override string ToString() => Scope switch
    {
        NameScope.All => "all",
        NameScope.Group => Group + ":*",
        _ => Format(Group, Process!),
    };
}
