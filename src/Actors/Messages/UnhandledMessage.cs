namespace AutoCompress.Actors;

/// <summary>
/// Published on the <see cref="EventStream"/> when an actor had no handler for a message (see
/// <see cref="ActorBase.Unhandled"/>). A message nobody handles is usually a protocol mistake, so it is made visible
/// rather than dropped silently.
/// </summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender, if one was given.</param>
/// <param name="Recipient">The actor that did not handle it.</param>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);
