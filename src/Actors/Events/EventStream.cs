using System.Diagnostics.CodeAnalysis;

namespace AutoCompress.Actors;

/// <summary>
/// System-wide publish/subscribe by event type, as in Akka.NET: <see cref="DeadLetter"/> and
/// <see cref="UnhandledMessage"/> are published here, and actors may publish their own events. Subscribers are actors;
/// a subscriber that stops is unsubscribed automatically.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "EventStream is the Akka.NET name; keeping it makes a port mechanical.")]
public sealed class EventStream
{
    private readonly Lock gate = new();
    private Subscription[] subscriptions = [];

    /// <summary>Delivers every published event assignable to <paramref name="eventType"/> to <paramref name="subscriber"/>.</summary>
    /// <returns>False if that subscription already existed.</returns>
    public bool Subscribe(IActorRef subscriber, Type eventType)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(eventType);
        lock (gate)
        {
            if (Array.Exists(subscriptions, s => s.Subscriber == subscriber && s.EventType == eventType))
                return false;
            subscriptions = [.. subscriptions, new Subscription(subscriber, eventType)];
            return true;
        }
    }

    /// <summary>Removes the subscription to <paramref name="eventType"/>, or all of the subscriber's when null.</summary>
    /// <returns>Whether anything was removed.</returns>
    public bool Unsubscribe(IActorRef subscriber, Type? eventType = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (gate)
        {
            var kept = Array.FindAll(subscriptions, s => s.Subscriber != subscriber || (eventType is not null && s.EventType != eventType));
            var removed = kept.Length != subscriptions.Length;
            subscriptions = kept;
            return removed;
        }
    }

    /// <summary>Tells <paramref name="event"/> to every subscriber of a type it is assignable to.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var s in Volatile.Read(ref subscriptions))
        {
            if (s.EventType.IsInstanceOfType(@event))
                s.Subscriber.Tell(@event, ActorRefs.NoSender);
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type EventType);
}
