using Microsoft.Extensions.Logging;

namespace AutoCompress.Actors;

/// <summary>The cell's log messages (source-generated).</summary>
internal sealed partial class ActorCell
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Actor {Child} failed; supervisor directive: {Directive}")]
    private static partial void LogChildFailed(ILogger logger, Exception cause, ActorPath child, Directive directive);

    [LoggerMessage(Level = LogLevel.Error, Message = "Actor {Child} failed and has used up its restart budget ({Budget}); stopping it")]
    private static partial void LogBudgetExceeded(ILogger logger, Exception cause, ActorPath child, string budget);

    [LoggerMessage(Level = LogLevel.Error, Message = "Actor {Actor} failed while being stopped")]
    private static partial void LogFailedWhileStopping(ILogger logger, Exception cause, ActorPath actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "The supervisor strategy of {Supervisor} threw while deciding about {Child}; escalating")]
    private static partial void LogDeciderFailed(ILogger logger, Exception error, ActorPath supervisor, ActorPath child);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Hook} of {Actor} threw; continuing")]
    private static partial void LogHookFailed(ILogger logger, Exception error, string hook, ActorPath actor);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Actor} did not handle {MessageType}")]
    private static partial void LogUnhandled(ILogger logger, Type messageType, ActorPath actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Tell to {Target} has waited {Seconds} s for room in its full mailbox (capacity {Capacity}) and keeps waiting; actors that block on each other's full mailboxes deadlock, use TellAsync or a larger mailbox")]
    private static partial void LogTellBlocked(ILogger logger, ActorPath target, double seconds, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Target} told itself {MessageType} while its mailbox was full (capacity {Capacity}); waiting would deadlock, so the message became a dead letter")]
    private static partial void LogSelfTellDropped(ILogger logger, ActorPath target, Type messageType, int capacity);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The loop of actor {Actor} crashed (a defect of the actor kernel); stopping the actor")]
    private static partial void LogLoopCrashed(ILogger logger, Exception error, ActorPath actor);
}
