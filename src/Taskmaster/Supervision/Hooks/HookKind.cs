namespace Taskmaster.Supervision.Hooks;

/// <summary>When a hook runs in a program's life (<c>pre_start_hook</c>, <c>pre_stop_hook</c>, <c>post_stop_hook</c>).</summary>
internal enum HookKind
{
    /// <summary>Before each spawn; its failure is a failed start.</summary>
    PreStart,
    /// <summary>Before the stop signal of a live child.</summary>
    PreStop,
    /// <summary>After each child's end.</summary>
    PostStop,
}

internal static class HookKindNames
{
    /// <summary>The key that configures it, which is also how the log and status name it.</summary>
    public static string KeyName(this HookKind kind) => kind switch
    {
        HookKind.PreStart => "pre_start_hook",
        HookKind.PreStop => "pre_stop_hook",
        _ => "post_stop_hook",
    };
}
