using Microsoft.Extensions.Logging;

namespace AutoCompress.Actors;

/// <summary>
/// An actor's view of itself and its place in the tree, available as <c>Context</c> inside the actor (from its
/// constructor on). Use it only from the actor's own handlers and hooks: like the actor's state, it is not thread-safe
/// for other callers.
/// </summary>
public interface IActorContext
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>The supervising actor.</summary>
    IActorRef Parent { get; }

    /// <summary>The sender of the message being processed; <see cref="ActorSystem.DeadLetters"/> when there was none.</summary>
    IActorRef Sender { get; }

    /// <summary>The system this actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>This actor's timers; all are cancelled when it stops or restarts.</summary>
    ITimerScheduler Timers { get; }

    /// <summary>
    /// Creates and starts a child supervised by this actor. <paramref name="name"/> must be unique among live siblings;
    /// null generates one. Returns at once; the child is constructed on its own loop, and messages sent meanwhile wait
    /// in its mailbox.
    /// </summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The live child called <paramref name="name"/>, or null.</summary>
    IActorRef? Child(string name);

    /// <summary>The children that have not yet finished stopping.</summary>
    IReadOnlyList<IActorRef> GetChildren();

    /// <summary>
    /// Stops <paramref name="actor"/> (this actor or another one) after the message it is processing: its children stop
    /// first, then PostStop runs, then what is left in its mailbox becomes dead letters.
    /// </summary>
    void Stop(IActorRef actor);

    /// <summary>
    /// Delivers <see cref="Terminated"/> to this actor when <paramref name="subject"/> stops, or at once if it already
    /// has. Watching twice has no further effect.
    /// </summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching <paramref name="subject"/>; a <see cref="Terminated"/> not yet processed is discarded.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>A logger whose category is the actor's class.</summary>
    ILogger GetLogger();
}
