namespace AutoCompress.Actors;

/// <summary>
/// Stopping: no more user messages, timers cancelled, children told to stop; once the last child has reported back,
/// PostStop runs, the mailbox is closed and what is left in it becomes dead letters, watchers get Terminated and the
/// parent is told. Children therefore always finish stopping before their parent does.
/// </summary>
internal sealed partial class ActorCell
{
    private void BeginTerminate()
    {
        if (state is CellState.Terminating or CellState.Terminated)
            return;
        state = CellState.Terminating;
        pendingRecreate = null;
        timers?.CancelAll();
        List<LocalActorRef> toStop;
        lock (childrenGate)
        {
            childrenClosed = true;
            toStop = [];
            foreach (var entry in children.Values)
            {
                if (!entry.Stopping)
                {
                    entry.Stopping = true;
                    stoppingChildren++;
                }
                toStop.Add(entry.Ref);
            }
        }
        foreach (var child in toStop)
            child.Cell.SendSystem(SysTerminate.Instance);
        if (toStop.Count == 0)
            FinishTerminate();
    }

    private void FinishTerminate()
    {
        state = CellState.Terminated;
        var instance = actor;
        actor = null;
        currentSender = null;
        if (instance is not null)
        {
            try
            {
                instance.InvokePostStop();
            }
            catch (Exception e)
            {
                LogHookFailed(Logger, e, "PostStop", Path);
            }
        }
        System.EventStream.Unsubscribe(Self);

        // From here on, sends fail and become dead letters; what was accepted before is drained into dead letters too.
        mailboxClosed = true;
        mailbox.Writer.TryComplete();
        while (mailbox.Reader.TryRead(out var envelope))
            System.RecordDeadLetter(envelope.Message, envelope.Sender, Self);
        deferred?.Clear();
        systemMailbox.Writer.TryComplete();
        while (systemMailbox.Reader.TryRead(out var message))
            HandleSystemWhenDead(message);

        if (watchedBy is not null)
        {
            foreach (var watcher in watchedBy)
                watcher.Cell.SendSystem(new SysDeathWatchNotification(Self));
            watchedBy = null;
        }
        if (watching is not null)
        {
            foreach (var subject in watching)
                ((LocalActorRef)subject).Cell.SendSystem(new SysUnwatch(Self));
            watching = null;
        }
        terminatedQueued = null;
        currentSender = null;
        ActorTelemetry.LiveActors.Add(-1);
        if (Parent is null)
            System.OnGuardianTerminated();
        else
            Parent.SendSystem(new SysChildTerminated(Self));
    }

    /// <summary>Answers a system message that reached this actor after it stopped (from any thread).</summary>
    private void HandleSystemWhenDead(SystemMessage message)
    {
        // A late Watch gets its Terminated at once; everything else concerned a live actor and has nothing left to act on.
        if (message is SysWatch watch)
            watch.Watcher.Cell.SendSystem(new SysDeathWatchNotification(Self));
    }
}
