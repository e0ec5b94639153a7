using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Taskmaster.Events;

/// <summary>supervisor's names of the event types (<c>PROCESS_STATE_EXITED</c>, <c>TICK</c>…), both ways.</summary>
public static class EventTypeNames
{
    private static readonly (string Name, EventType Type)[] Table =
    [
        ("EVENT", EventType.Event),
        ("PROCESS_STATE", EventType.ProcessState),
        ("PROCESS_STATE_STOPPED", EventType.ProcessStateStopped),
        ("PROCESS_STATE_EXITED", EventType.ProcessStateExited),
        ("PROCESS_STATE_STARTING", EventType.ProcessStateStarting),
        ("PROCESS_STATE_STOPPING", EventType.ProcessStateStopping),
        ("PROCESS_STATE_BACKOFF", EventType.ProcessStateBackoff),
        ("PROCESS_STATE_FATAL", EventType.ProcessStateFatal),
        ("PROCESS_STATE_RUNNING", EventType.ProcessStateRunning),
        ("PROCESS_STATE_UNKNOWN", EventType.ProcessStateUnknown),
        ("PROCESS_COMMUNICATION", EventType.ProcessCommunication),
        ("PROCESS_COMMUNICATION_STDOUT", EventType.ProcessCommunicationStdout),
        ("PROCESS_COMMUNICATION_STDERR", EventType.ProcessCommunicationStderr),
        ("PROCESS_LOG", EventType.ProcessLog),
        ("PROCESS_LOG_STDOUT", EventType.ProcessLogStdout),
        ("PROCESS_LOG_STDERR", EventType.ProcessLogStderr),
        ("REMOTE_COMMUNICATION", EventType.RemoteCommunication),
        ("SUPERVISOR_STATE_CHANGE", EventType.SupervisorStateChange),
        ("SUPERVISOR_STATE_CHANGE_RUNNING", EventType.SupervisorStateChangeRunning),
        ("SUPERVISOR_STATE_CHANGE_STOPPING", EventType.SupervisorStateChangeStopping),
        ("TICK", EventType.Tick),
        ("TICK_5", EventType.Tick5),
        ("TICK_60", EventType.Tick60),
        ("TICK_3600", EventType.Tick3600),
        ("PROCESS_GROUP", EventType.ProcessGroup),
        ("PROCESS_GROUP_ADDED", EventType.ProcessGroupAdded),
        ("PROCESS_GROUP_REMOVED", EventType.ProcessGroupRemoved),
    ];

    private static readonly FrozenDictionary<string, EventType> ByName =
        Table.ToFrozenDictionary(e => e.Name, e => e.Type, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<EventType, string> ByType =
        Table.ToFrozenDictionary(e => e.Type, e => e.Name);

    /// <summary>Every name, abstract ones included (for did-you-mean and help).</summary>
    public static ImmutableArray<string> All { get; } = [.. Table.Select(e => e.Name)];

    /// <summary>The type or union a name stands for (case-insensitive, as supervisord reads <c>events=</c>).</summary>
    public static bool TryParse(string name, out EventType type) => ByName.TryGetValue(name.Trim(), out type);

    /// <summary>The header name of a concrete type (<c>PROCESS_STATE_EXITED</c>).</summary>
    public static string NameOf(EventType type) => ByType.TryGetValue(type, out var name) ? name : type.ToString();

    /// <summary>The concrete types of a mask, in table order.</summary>
    public static IEnumerable<EventType> Concrete(EventType mask)
    {
        for (var bit = 0; bit < 32; bit++)
        {
            var type = (EventType)(1u << bit);
            if ((mask & type) != 0 && ByType.ContainsKey(type)) yield return type;
        }
    }
}
