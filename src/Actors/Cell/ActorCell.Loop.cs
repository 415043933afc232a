namespace AutoCompress.Actors;

/// <summary>
/// The one consumer loop. Each turn: system messages first (lifecycle, supervision, death watch, timers), then, while
/// running, messages queued beside the mailbox (Terminated, timer ticks), then one mailbox message. Mailbox messages
/// are read with <c>TryRead</c>; the loop awaits <c>WaitToReadAsync</c> only when the mailbox is empty, and a handler
/// that completes synchronously is not awaited, so the hot path allocates nothing per message. After
/// <see cref="MessagesPerTurn"/> messages in a row the loop yields its thread so that a busy actor cannot starve the
/// others sharing the thread pool.
/// </summary>
internal sealed partial class ActorCell
{
    private const int MessagesPerTurn = 1000;

    private Queue<Envelope>? deferred;

    private async Task RunAsync()
    {
        running = this;
        try
        {
            CreateActor(restartCause: null);
            var turn = 0;
            while (state != CellState.Terminated)
            {
                if (Volatile.Read(ref systemPending) != 0)
                {
                    DrainSystemMessages();
                    continue;
                }
                if (state != CellState.Running)
                {
                    running = null;
                    await systemMailbox.Reader.WaitToReadAsync().ConfigureAwait(false);
                    running = this;
                    DrainSystemMessages();
                    continue;
                }

                Envelope envelope;
                if (deferred is { Count: > 0 })
                {
                    if (!TryTakeDeferred(out envelope))
                        continue;
                }
                else if (!mailbox.Reader.TryRead(out envelope))
                {
                    Interlocked.Exchange(ref idle, 1);
                    if (Volatile.Read(ref systemPending) == 0)
                    {
                        running = null;
                        await mailbox.Reader.WaitToReadAsync().ConfigureAwait(false);
                        running = this;
                    }
                    Volatile.Write(ref idle, 0);
                    turn = 0;
                    continue;
                }
                else if (envelope.Message is WakeSignal)
                {
                    continue;
                }

                var pending = Invoke(envelope.Message, envelope.Sender);
                if (pending is not null)
                {
                    running = null;
                    try
                    {
                        await pending.ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        running = this;
                        Fail(e, envelope.Message);
                    }
                    running = this;
                }
                if (++turn == MessagesPerTurn)
                {
                    turn = 0;
                    running = null;
                    await Task.Yield();
                    running = this;
                }
            }
        }
        catch (Exception e)
        {
            // Only a defect of this kernel gets here (user code is guarded where it is called). Stop the actor so that
            // its parent and watchers are not left waiting, and say so loudly.
            running = this;
            LogLoopCrashed(Logger, e, Path);
            if (state != CellState.Terminated)
            {
                try
                {
                    FinishTerminate();
                }
                catch (Exception again)
                {
                    LogLoopCrashed(Logger, again, Path);
                }
            }
        }
        finally
        {
            running = null;
        }
    }

    /// <summary>Hands one user message to the actor; returns the task of an async handler that is still running.</summary>
    private Task? Invoke(object message, IActorRef? sender)
    {
        // Most messages of a stream share their sender; skipping the identical store saves a GC write barrier.
        if (!ReferenceEquals(currentSender, sender))
            currentSender = sender;
        try
        {
            if (message is PoisonPill)
            {
                BeginTerminate();
                return null;
            }
            var task = actor!.Dispatch(message);
            return task is null || task.IsCompletedSuccessfully ? null : task;
        }
        catch (Exception e)
        {
            Fail(e, message);
            return null;
        }
    }

    private void DrainSystemMessages()
    {
        Interlocked.Exchange(ref systemPending, 0);
        while (state != CellState.Terminated && systemMailbox.Reader.TryRead(out var message))
            HandleSystem(message);
    }

    private void HandleSystem(SystemMessage message)
    {
        switch (message)
        {
            case SysTerminate:
                BeginTerminate();
                break;
            case SysFailed failed:
                HandleChildFailed(failed.Child, failed.Cause);
                break;
            case SysChildTerminated terminated:
                HandleChildTerminated(terminated.Child);
                break;
            case SysResume:
                HandleResume();
                break;
            case SysRecreate recreate:
                HandleRecreate(recreate.Cause);
                break;
            case SysWatch watch:
                HandleWatch(watch.Watcher);
                break;
            case SysUnwatch unwatch:
                watchedBy?.Remove(unwatch.Watcher);
                break;
            case SysDeathWatchNotification notification:
                HandleDeathWatchNotification(notification.Actor);
                break;
            case SysTimerFired fired:
                if (state == CellState.Terminating)
                    fired.Entry.Delivered();
                else
                    Defer(new Envelope(fired, null));
                break;
        }
    }

    private void Defer(Envelope envelope) => (deferred ??= new Queue<Envelope>()).Enqueue(envelope);

    // Timer ticks and Terminated notifications are checked when they are delivered, not when they were queued: a timer
    // cancelled or replaced meanwhile, or an actor unwatched meanwhile, delivers nothing.
    private bool TryTakeDeferred(out Envelope envelope)
    {
        envelope = deferred!.Dequeue();
        switch (envelope.Message)
        {
            case SysTimerFired fired:
                if (timers is null || !timers.TryTake(fired, out var message))
                {
                    fired.Entry.Delivered();
                    return false;
                }
                envelope = new Envelope(message, null);
                return true;
            case Terminated terminated:
                return terminatedQueued?.Remove(terminated.ActorRef) == true;
            default:
                return true;
        }
    }
}
