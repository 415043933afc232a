namespace AutoCompress.Actors;

/// <summary>A user message and its sender, stored inline in the mailbox (a struct: no allocation per message).</summary>
internal readonly struct Envelope(object message, IActorRef? sender)
{
    public readonly object Message = message;
    public readonly IActorRef? Sender = sender;
}
