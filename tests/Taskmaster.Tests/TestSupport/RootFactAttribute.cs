namespace Taskmaster.Tests.TestSupport;

/// <summary>A fact that needs root (to act as, or create files of, another user): reported as skipped otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" && Taskmaster.Spawning.LibC.GetEuid() != 0)
            Skip = "needs root (runs as another user's files and processes)";
    }
}
