namespace AutoCompress.Actors;

/// <summary>The reference to one incarnation of an actor: sends go straight into its cell's mailbox.</summary>
internal sealed class LocalActorRef(ActorCell cell) : ActorRefBase(cell.System)
{
    internal ActorCell Cell { get; } = cell;

    public override ActorPath Path => Cell.Path;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(new Envelope(message, sender));
    }

    public override ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Cell.PostAsync(new Envelope(message, sender), cancellationToken);
    }
}
