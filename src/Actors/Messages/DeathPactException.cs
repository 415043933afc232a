namespace AutoCompress.Actors;

/// <summary>
/// Thrown (inside the watching actor) when a <see cref="Terminated"/> message reaches an actor that has no handler for it.
/// Watching an actor means depending on it; ignoring its death is treated as a failure so that the supervisor decides
/// (the default decider stops the watcher), exactly as Akka.NET does.
/// </summary>
public sealed class DeathPactException : Exception
{
    public DeathPactException()
    {
    }

    public DeathPactException(string message)
        : base(message)
    {
    }

    public DeathPactException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DeathPactException(IActorRef deadActor)
        : base($"Monitored actor {deadActor.Path} terminated and the watcher does not handle Terminated.")
    {
        DeadActor = deadActor;
    }

    /// <summary>The watched actor that stopped.</summary>
    public IActorRef? DeadActor { get; }
}
