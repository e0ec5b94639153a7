using System.Collections.Immutable;
using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// Which settings of one instance differ between two configurations, split by what a change costs: each
/// <see cref="ProgramKeys"/> entry says whether its setting needs a new child (<see cref="OnReload.Restart"/>) or
/// changes under the live one (<see cref="OnReload.InPlace"/>). The group an instance sits in changes in place.
/// </summary>
public static class ProcessConfigDelta
{
    /// <summary>Config keys whose change needs a new child, in table order.</summary>
    public static ImmutableArray<string> RestartFields(ProcessConfig old, ProcessConfig next) =>
        Differing(old, next, OnReload.Restart, ImmutableArray.CreateBuilder<string>());

    /// <summary>Config keys that can change under a running child: <c>group</c> first, then the keys in table order.</summary>
    public static ImmutableArray<string> InPlaceFields(ProcessConfig old, ProcessConfig next)
    {
        var fields = ImmutableArray.CreateBuilder<string>();
        if (old.GroupName != next.GroupName) fields.Add("group");
        return Differing(old, next, OnReload.InPlace, fields);
    }

    private static ImmutableArray<string> Differing(ProcessConfig old, ProcessConfig next, OnReload effect, ImmutableArray<string>.Builder fields)
    {
        foreach (var key in ProgramKeys.Settings)
            if (key.Reload == effect && key.Differs(old, next)) fields.Add(key.Name);
        return fields.ToImmutable();
    }

    /// <summary>Classifies one matched pair of instances.</summary>
    public static InstanceChange Compare(ProcessConfig old, ProcessConfig next)
    {
        var restart = RestartFields(old, next);
        if (!restart.IsEmpty) return new InstanceChange(InstanceChangeKind.Restart, old, next, restart);
        var inPlace = InPlaceFields(old, next);
        return inPlace.IsEmpty
            ? new InstanceChange(InstanceChangeKind.Unchanged, old, next, [])
            : new InstanceChange(InstanceChangeKind.InPlace, old, next, inPlace);
    }
}
