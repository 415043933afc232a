namespace AutoCompress.Actors;

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>
    /// "No sender": pass it as the sender of a message sent from outside any actor. A reply to it becomes a dead letter.
    /// </summary>
    public static readonly IActorRef? NoSender;
}
