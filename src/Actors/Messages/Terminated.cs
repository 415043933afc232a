namespace AutoCompress.Actors;

/// <summary>
/// Delivered to an actor that called <see cref="IActorContext.Watch"/> on <paramref name="ActorRef"/> once that actor has
/// stopped (or at once if it was already dead). Death watch is how an actor learns that a peer is gone without polling;
/// an actor that watches but does not handle this message fails with <see cref="DeathPactException"/>, as in Akka.NET.
/// </summary>
/// <param name="ActorRef">The actor that stopped.</param>
public sealed record Terminated(IActorRef ActorRef);
