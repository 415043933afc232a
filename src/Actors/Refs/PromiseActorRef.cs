using System.Globalization;

namespace AutoCompress.Actors;

/// <summary>
/// The temporary reply address of one Ask: the first reply completes the caller's task (a <see cref="Status.Failure"/>
/// faults it, a reply of the wrong type faults it with <see cref="InvalidCastException"/>); any later reply, or a reply
/// after a timeout or cancellation, becomes a dead letter. It owns its timeout timer and its registration on the
/// caller's token and releases both when it completes, so a completed ask leaves nothing behind.
/// </summary>
internal sealed class PromiseActorRef<T> : ActorRefBase
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IActorRef target;
    private readonly Type messageType;
    private readonly TimeSpan timeout;
    private readonly CancellationToken cancellationToken;
    private readonly ITimer? timer;
    private readonly CancellationTokenRegistration registration;
    private CancellationTokenSource? abandoned;
    private ActorPath? path;

    public PromiseActorRef(ActorSystem system, IActorRef target, Type messageType, TimeSpan timeout, CancellationToken cancellationToken)
        : base(system)
    {
        this.target = target;
        this.messageType = messageType;
        this.timeout = timeout;
        this.cancellationToken = cancellationToken;
        if (timeout != Timeout.InfiniteTimeSpan)
            timer = system.TimeProvider.CreateTimer(static state => ((PromiseActorRef<T>)state!).Abandon(), this, timeout, Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled)
            registration = cancellationToken.UnsafeRegister(static state => ((PromiseActorRef<T>)state!).Abandon(), this);
    }

    public Task<T> Task => completion.Task;

    public override ActorPath Path =>
        path ??= System.TempPath.Child("$" + System.NextTempId().ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A token cancelled when the ask is abandoned (timeout or caller), for waiting on a full mailbox; created only then.
    /// </summary>
    public CancellationToken AbandonedToken
    {
        get
        {
            var source = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref abandoned, source, null) is { } existing)
            {
                source.Dispose();
                source = existing;
            }
            if (completion.Task.IsCompleted)
                source.Cancel();
            return source.Token;
        }
    }

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Release first, so that whoever awaits the task finds the timer and the registration already gone.
        Release();
        var completed = message switch
        {
            Status.Failure failure => completion.TrySetException(failure.Cause),
            T reply => completion.TrySetResult(reply),
            _ => completion.TrySetException(new InvalidCastException(
                $"Ask of {target.Path} with {messageType.Name} expected a reply of type {typeof(T).Name} but got {message.GetType().Name}.")),
        };
        if (!completed)
            System.RecordDeadLetter(message, sender, this);
    }

    public override ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        Tell(message, sender);
        return ValueTask.CompletedTask;
    }

    /// <summary>Called when the timeout fires or the caller cancels: completes the task accordingly.</summary>
    private void Abandon()
    {
        Release();
        var completed = cancellationToken.IsCancellationRequested
            ? completion.TrySetCanceled(cancellationToken)
            : completion.TrySetException(new AskTimeoutException(
                $"Ask of {target.Path} with {messageType.Name} timed out after {timeout.TotalMilliseconds:0.###} ms without a reply."));
        if (completed)
            Volatile.Read(ref abandoned)?.Cancel();
    }

    // Idempotent: disposing a timer or unregistering twice is harmless.
    private void Release()
    {
        timer?.Dispose();
        registration.Unregister();
    }
}
