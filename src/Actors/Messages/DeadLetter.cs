namespace AutoCompress.Actors;

/// <summary>
/// Published on the <see cref="EventStream"/> for a message that could not be delivered: its recipient had stopped (or
/// stopped with the message still in its mailbox), or it was a reply to an Ask that had already completed. Undeliverable
/// messages are never thrown back at the sender; they are counted (<see cref="ActorSystem.DeadLetterCount"/>), logged (the
/// first few) and published so that tests and diagnostics can see them.
/// </summary>
/// <param name="Message">The message that was not delivered.</param>
/// <param name="Sender">Its sender, if one was given.</param>
/// <param name="Recipient">The actor it was addressed to.</param>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);
