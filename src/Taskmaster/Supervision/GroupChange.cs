namespace Taskmaster.Supervision;

/// <summary>What <c>update</c>, <c>add</c> or <c>remove</c> did to a group, or, with an error, tried to do. The words
/// supervisorctl prints for it are the control API's (<c>Control/GroupUpdateWording</c>).</summary>
public enum GroupChange
{
    /// <summary>The group was added (<c>update</c> of a new group, <c>add</c>).</summary>
    Added,
    /// <summary>The group was removed (<c>update</c> of a group gone from the file, <c>remove</c>).</summary>
    Removed,
    /// <summary>The group's instances were changed: restarted, swapped in place, added or removed.</summary>
    Updated,
    /// <summary>Children of the group were stopped on the way (said before its Removed or Updated).</summary>
    Stopped,
}
