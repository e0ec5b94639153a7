namespace Taskmaster.Ctl.Commands;

/// <summary>What a verb's argument is, for tab completion.</summary>
internal enum ArgumentKind
{
    None,
    /// <summary><c>group:name</c>, <c>group:*</c> or <c>all</c>.</summary>
    ProcessName,
    /// <summary>A group, or <c>all</c>.</summary>
    GroupName,
}
