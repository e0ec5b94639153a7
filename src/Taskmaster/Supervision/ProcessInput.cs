
using Taskmaster.Posix;

namespace Taskmaster.Supervision;

/// <summary>One event for one process, with the data some events carry (exit status, signal number).</summary>
internal readonly record struct ProcessInput(ProcessEvent Event, ExitStatus Exit = default, int Signal = 0)
{
    public static implicit operator ProcessInput(ProcessEvent e) => new(e);
}
