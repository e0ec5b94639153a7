namespace Taskmaster.Events;

/// <summary>
/// One event as supervisor defines it: its type, its payload text (exactly the body a listener reads after the
/// header) and, for the JSON stream's filters, the process and group it is about.
/// </summary>
/// <param name="Type">A concrete type (one bit).</param>
/// <param name="Payload">The body, built only once someone wants the type.</param>
/// <param name="Name">The process it is about, or null (ticks, supervisor state, groups, remote events).</param>
/// <param name="Group">The group it is about, or null.</param>
/// <param name="At">When it happened.</param>
public sealed record SupervisorEvent(EventType Type, string Payload, string? Name, string? Group, DateTimeOffset At)
{
    /// <summary>supervisor's global serial: given once, when the first listener pool takes the event (as there,
    /// events no pool wants use no number); -1 until then.</summary>
    public long Serial { get; internal set; } = -1;

    /// <summary>The header name (<c>PROCESS_STATE_EXITED</c>).</summary>
    public string TypeName => EventTypeNames.NameOf(Type);
}
