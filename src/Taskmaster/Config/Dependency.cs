namespace Taskmaster.Config;

/// <summary>
/// One edge of the dependency graph as written: the program or group waited for, and the condition. Two edges are
/// the same setting when target and condition are; where the edge is written (<see cref="At"/>, for the errors of
/// unknown names and cycles) is left out, as <see cref="ProcessConfig.Origins"/> is.
/// </summary>
/// <param name="Target">A program name or a group name (a group means every instance of it).</param>
/// <param name="Condition">What the dependency must reach.</param>
/// <param name="At">Where the edge's name starts in the file, if it came from one.</param>
/// <param name="LineText">The physical line holding it (for the diagnostic's excerpt).</param>
public sealed record Dependency(string Target, DependencyCondition Condition, SourceLocation? At = null, string? LineText = null)
{
    public bool Equals(Dependency? other) =>
        other is not null && Target == other.Target && Condition == other.Condition;

    public override int GetHashCode() => HashCode.Combine(Target, Condition);

    /// <summary>The condition as <c>status</c> and <c>--check</c> word it.</summary>
    public string ConditionWord => Word(Condition);

    public override string ToString() => $"{Target}:{ConditionWord}";

    public static string Word(DependencyCondition condition) => condition switch
    {
        DependencyCondition.Started => "started",
        DependencyCondition.Running => "running",
        DependencyCondition.Healthy => "healthy",
        DependencyCondition.LogReady => "log_ready",
        DependencyCondition.Completed => "completed",
        _ => "completed_successfully",
    };
}
