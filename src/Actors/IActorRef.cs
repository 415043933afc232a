namespace AutoCompress.Actors;

/// <summary>
/// A handle to an actor: the only way to talk to it. Sending is asynchronous and never throws for a dead recipient (the
/// message becomes a <see cref="DeadLetter"/>). References are obtained from <c>ActorOf</c>, <c>Self</c>, <c>Sender</c> or
/// messages; they are created by an <see cref="ActorSystem"/>, not implemented by users.
/// </summary>
public interface IActorRef
{
    /// <summary>Where the actor lives in the supervision tree.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// Puts <paramref name="message"/> into the actor's bounded mailbox. When the mailbox is full the calling thread waits
    /// (spins briefly, then blocks) until there is room, so a fast producer cannot grow memory without bound; from async
    /// code prefer <see cref="TellAsync"/>, which waits without blocking a thread. A recipient that has stopped turns the
    /// message into a dead letter. An actor telling itself while its own mailbox is full also gets a dead letter (and a
    /// logged warning), because waiting for itself would never end.
    /// </summary>
    /// <param name="message">The message, ideally a sealed record.</param>
    /// <param name="sender">The actor replies should go to (usually <c>Self</c>), or null.</param>
    void Tell(object message, IActorRef? sender);

    /// <summary>
    /// Like <see cref="Tell"/>, but waits for mailbox room asynchronously. Completes synchronously (without allocating)
    /// whenever the mailbox has room.
    /// </summary>
    /// <param name="message">The message, ideally a sealed record.</param>
    /// <param name="sender">The actor replies should go to, or null.</param>
    /// <param name="cancellationToken">Stops waiting for room; the message is then not sent.</param>
    ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default);
}
