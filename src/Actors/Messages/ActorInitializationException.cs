namespace AutoCompress.Actors;

/// <summary>
/// Wraps an exception thrown while an actor was being created: by the <see cref="Props"/> factory (the constructor),
/// <c>PreStart</c> or <c>PostRestart</c>. The default supervisor decider stops such an actor instead of restarting it,
/// since restarting a constructor that throws usually throws again.
/// </summary>
public sealed class ActorInitializationException : Exception
{
    public ActorInitializationException()
    {
    }

    public ActorInitializationException(string message)
        : base(message)
    {
    }

    public ActorInitializationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ActorInitializationException(IActorRef actor, string message, Exception? innerException)
        : base(message, innerException)
    {
        Actor = actor;
    }

    /// <summary>The actor whose creation failed, when known.</summary>
    public IActorRef? Actor { get; }
}
