namespace Taskmaster.Signalling;

/// <summary>Sends signals to children or their process groups. Returns 0 or the errno of the failure.</summary>
public interface IProcessSignaller
{
    /// <param name="pid">The child's pid (also its process group id: every child leads its own session).</param>
    /// <param name="signal">Signal number.</param>
    /// <param name="toGroup">Signal the whole process group rather than the single process.</param>
    int Signal(int pid, int signal, bool toGroup);

    /// <summary>Whether any process is left in the process group <paramref name="pgid"/> (after its leader was reaped),
    /// zombies included: one kill(-pgid, 0). The default says no, so doubles that do not model process groups never
    /// see leftovers.</summary>
    bool GroupHasMembers(int pgid) => false;

    /// <summary>The live (not zombie) processes of group <paramref name="pgid"/>, to name them in the activity log.
    /// One scan of /proc, so only on the rare paths that say who was left; the default knows none.</summary>
    IReadOnlyList<int> GroupMembers(int pgid) => [];
}
