namespace AutoCompress.Actors;

/// <summary>Tell without a sender, and Ask (request/reply through a temporary reference).</summary>
public static class ActorRefExtensions
{
    /// <summary>Sends <paramref name="message"/> with no sender (see <see cref="IActorRef.Tell"/>).</summary>
    public static void Tell(this IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, ActorRefs.NoSender);
    }

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply reference as sender and returns the first reply. The task
    /// faults with <see cref="AskTimeoutException"/> (naming the target and the message type) if no reply arrives within
    /// <paramref name="timeout"/>, is cancelled when <paramref name="cancellationToken"/> is, faults with the cause of a
    /// <see cref="Status.Failure"/> reply, and with <see cref="InvalidCastException"/> for a reply that is not a
    /// <typeparamref name="T"/>. Waiting for room in a full mailbox counts against the timeout.
    /// </summary>
    /// <param name="target">The actor to ask.</param>
    /// <param name="message">The request.</param>
    /// <param name="timeout">How long to wait for the reply; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Abandons the request.</param>
    public static Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The Ask timeout must be positive or Timeout.InfiniteTimeSpan.");
        if (target is not ActorRefBase known)
            throw new ArgumentException($"{target} was not created by an ActorSystem; only such references can be asked.", nameof(target));
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);

        var promise = new PromiseActorRef<T>(known.System, target, message.GetType(), timeout, cancellationToken);
        // Fast path: room in the mailbox, no waiting, nothing to clean up but what the promise releases itself.
        if (target is LocalActorRef local && local.Cell.TryPost(new Envelope(message, promise)))
            return promise.Task;
        return AskWhenFull(target, message, promise);
    }

    /// <summary>Ask for a reply of any type.</summary>
    public static Task<object> Ask(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Ask<object>(target, message, timeout, cancellationToken);

    // The mailbox is full: wait for room, but give up waiting when the ask is abandoned (timeout or caller), in which
    // case the promise already carries the outcome.
    private static async Task<T> AskWhenFull<T>(IActorRef target, object message, PromiseActorRef<T> promise)
    {
        try
        {
            await target.TellAsync(message, promise, promise.AbandonedToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (promise.Task.IsCompleted)
        {
            // Abandoned while waiting for room: the request was not sent, the promise says why.
        }
        return await promise.Task.ConfigureAwait(false);
    }
}
