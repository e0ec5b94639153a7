namespace Taskmaster.Tests.TestSupport;

/// <summary>A theory that needs something from the machine, skipped with the reason where it is missing, as
/// <see cref="RequiresFactAttribute"/> does for a fact.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresTheoryAttribute : TheoryAttribute
{
    public RequiresTheoryAttribute(params Requirement[] requirements)
    {
        Requirements = requirements;
        if (Prerequisites.Unmet(requirements) is { } reason)
            Skip = reason;
    }

    public IReadOnlyList<Requirement> Requirements { get; }
}
