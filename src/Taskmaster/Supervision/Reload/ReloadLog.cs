using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// Activity log lines of reread, update, add, remove and reload: one line per applied change, all starting
/// with <c>reload:</c> so an operator can grep what a reload did. Event ids 200–219 are reserved for them.
/// </summary>
internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "reload: {Name} added")]
    public static partial void InstanceAdded(ILogger logger, string name);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "reload: {Name} removed")]
    public static partial void InstanceRemoved(ILogger logger, string name);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "reload: {Name} stopped for removal")]
    public static partial void StoppingForRemoval(ILogger logger, string name);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "reload: {Name} stopped for a changed {Fields}")]
    public static partial void StoppingForChange(ILogger logger, string name, string fields);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "reload: {Name} replaced for a changed {Fields}")]
    public static partial void ReplacedWhileDown(ILogger logger, string name, string fields);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "reload: {Name} {Fields} changed in place")]
    public static partial void ChangedInPlace(ILogger logger, string name, string fields);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "reload: {Name} moved from group {From} to group {To}")]
    public static partial void Moved(ILogger logger, string name, string from, string to);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "reload: group {Group} added")]
    public static partial void GroupAdded(ILogger logger, string group);

    [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "reload: group {Group} removed")]
    public static partial void GroupRemoved(ILogger logger, string group);

    [LoggerMessage(EventId = 209, Level = LogLevel.Information, Message = "reload: group {Group} priority changed in place")]
    public static partial void GroupPriorityChanged(ILogger logger, string group);

    [LoggerMessage(EventId = 210, Level = LogLevel.Error,
        Message = "reload: {Name} still has a child that could not be stopped; it stays as it was")]
    public static partial void CouldNotStop(ILogger logger, string name);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "reload: configuration has errors, nothing changed: {Error}")]
    public static partial void ConfigRejected(ILogger logger, string error);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "reload: {Setting}")]
    public static partial void NeedsDaemonRestart(ILogger logger, string setting);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "reload: no changes to apply")]
    public static partial void NothingToDo(ILogger logger);

    [LoggerMessage(EventId = 214, Level = LogLevel.Information, Message = "reload: stopping every process to start again from the configuration file")]
    public static partial void ReloadingEverything(ILogger logger);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "reload: {Name} was started during the update; stopping it again")]
    public static partial void RestartedDuringUpdate(ILogger logger, string name);
}
