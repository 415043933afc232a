namespace AutoCompress.Actors;

/// <summary>
/// Common base of every reference an <see cref="ActorSystem"/> hands out; Ask and Watch need the owning system, which
/// only references created by a system know.
/// </summary>
internal abstract class ActorRefBase(ActorSystem system) : IActorRef
{
    internal ActorSystem System { get; } = system;

    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender);

    public abstract ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default);

    public override string ToString() => $"[{Path}]";
}
