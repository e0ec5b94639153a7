namespace Taskmaster.Names;

/// <summary>What a <see cref="Namespec"/> designates: every process, one group's processes, or one process.</summary>
public enum NameScope
{
    /// <summary><c>all</c>.</summary>
    All,
    /// <summary><c>group:*</c> (or <c>group:</c>): the group's processes.</summary>
    Group,
    /// <summary><c>group:process</c>, or a bare <c>name</c> meaning <c>name:name</c>.</summary>
    Process,
}
