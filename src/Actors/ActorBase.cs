using Microsoft.Extensions.Logging;

namespace AutoCompress.Actors;

/// <summary>
/// Base of all actors: state that only its own loop touches, one message at a time, plus lifecycle hooks. Derive from
/// <see cref="ReceiveActor"/> (typed handlers) or <see cref="UntypedActor"/> (one <c>OnReceive</c>); instances are made
/// by the <see cref="Props"/> factory, never with <c>new</c> outside it, because an actor belongs to the cell that runs it.
/// </summary>
/// <remarks>
/// Lifecycle (as in Akka.NET): constructor, <see cref="PreStart"/>, messages, <see cref="PostStop"/>. On a restart the
/// old instance gets <see cref="PreRestart"/> (by default: stop the children, then PostStop), and a fresh instance from
/// the factory gets <see cref="PostRestart"/> (by default: PreStart).
/// </remarks>
public abstract class ActorBase
{
    private readonly ActorCell cell;

    protected ActorBase()
    {
        cell = ActorCell.CurrentlyCreating
            ?? throw new InvalidOperationException(
                $"{GetType().Name} must be created by an ActorSystem through its Props factory (ActorOf), not with new elsewhere.");
    }

    /// <summary>This actor's context: self, parent, sender, children, watch, timers.</summary>
    protected IActorContext Context => cell;

    /// <summary>This actor's reference.</summary>
    protected IActorRef Self => cell.Self;

    /// <summary>The sender of the current message; <see cref="ActorSystem.DeadLetters"/> when there was none.</summary>
    protected IActorRef Sender => cell.Sender;

    /// <summary>This actor's timers (also <c>Context.Timers</c>).</summary>
    protected ITimerScheduler Timers => cell.Timers;

    internal ActorCell Cell => cell;

    /// <summary>Runs before the first message, on the actor's loop.</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Runs once the actor has stopped processing messages and its children have stopped.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>
    /// Runs on the failed instance before it is replaced. The default unwatches and stops every child and calls
    /// <see cref="PostStop"/>; the restart completes once those children have stopped.
    /// </summary>
    /// <param name="reason">The exception that caused the restart.</param>
    /// <param name="message">The message that failed (it is dropped), or null if the failure was not caused by one.</param>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; the default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>
    /// How this actor supervises its children, unless its <see cref="Props"/> set one; the default is
    /// <see cref="Actors.SupervisorStrategy.DefaultStrategy"/>.
    /// </summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Called for a message no handler accepted. The default throws <see cref="DeathPactException"/> for an unhandled
    /// <see cref="Terminated"/> and otherwise publishes <see cref="UnhandledMessage"/> on the event stream.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is Terminated terminated)
            throw new DeathPactException(terminated.ActorRef);
        cell.PublishUnhandled(message);
    }

    /// <summary>
    /// Processes one message. Returns null when it was handled synchronously, or the task of an asynchronous handler,
    /// which the loop awaits before the next message.
    /// </summary>
    internal abstract Task? Dispatch(object message);

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    internal ILogger CreateLogger() => cell.System.LoggerFactory.CreateLogger(GetType());
}
