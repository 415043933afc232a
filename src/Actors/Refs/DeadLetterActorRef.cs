namespace AutoCompress.Actors;

/// <summary>
/// <see cref="ActorSystem.DeadLetters"/>: the sink for undeliverable messages. It is also <c>Sender</c> inside an actor
/// when a message came without one, so that replying to "nobody" is counted instead of throwing.
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase(system)
{
    public override ActorPath Path { get; } = path;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter letter)
            System.RecordDeadLetter(letter.Message, letter.Sender, letter.Recipient);
        else
            System.RecordDeadLetter(message, sender, this);
    }

    public override ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        Tell(message, sender);
        return ValueTask.CompletedTask;
    }
}
