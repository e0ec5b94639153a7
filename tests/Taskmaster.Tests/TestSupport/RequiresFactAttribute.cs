namespace Taskmaster.Tests.TestSupport;

/// <summary>
/// A fact that needs something from the machine (<see cref="Requirement"/>): where it is missing, the test is
/// reported as skipped with a reason naming it, at discovery, instead of returning early as a pass that checked
/// nothing or failing for a reason that is not the product's.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(params Requirement[] requirements)
    {
        Requirements = requirements;
        if (Prerequisites.Unmet(requirements) is { } reason)
            Skip = reason;
    }

    public IReadOnlyList<Requirement> Requirements { get; }
}
