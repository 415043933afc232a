namespace AutoCompress.Actors;

/// <summary>
/// A user message that stops the receiving actor once it reaches the head of the mailbox: everything sent before it is
/// processed, everything after it becomes a dead letter. Use it to stop an actor gracefully; <see cref="IActorContext.Stop"/>
/// stops it after the current message instead.
/// </summary>
public sealed record PoisonPill
{
    private PoisonPill()
    {
    }

    /// <summary>The only instance.</summary>
    public static PoisonPill Instance { get; } = new();
}
