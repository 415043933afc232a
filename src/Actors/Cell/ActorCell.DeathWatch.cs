namespace AutoCompress.Actors;

/// <summary>
/// Death watch. The watcher remembers whom it watches and asks the watchee to notify it; the watchee remembers its
/// watchers (in the order they came) and notifies them when it has stopped, or at once if a Watch reaches it after it
/// has stopped. The notification becomes a <see cref="Terminated"/> message queued beside the mailbox, delivered only
/// if the watcher still watches at that point (Unwatch discards one that is already queued).
/// </summary>
internal sealed partial class ActorCell
{
    private HashSet<IActorRef>? watching;
    private List<LocalActorRef>? watchedBy;
    private HashSet<IActorRef>? terminatedQueued;

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is not LocalActorRef local)
            throw new NotSupportedException($"Cannot watch {subject}: only actors created by an ActorSystem can be watched.");
        if (!ReferenceEquals(local, Self) && (watching ??= []).Add(local))
            local.Cell.SendSystem(new SysWatch(Self));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (watching?.Remove(subject) == true && subject is LocalActorRef local)
            local.Cell.SendSystem(new SysUnwatch(Self));
        terminatedQueued?.Remove(subject);
        return subject;
    }

    private void HandleWatch(LocalActorRef watcher)
    {
        watchedBy ??= [];
        if (!watchedBy.Contains(watcher))
            watchedBy.Add(watcher);
    }

    private void HandleDeathWatchNotification(IActorRef dead)
    {
        if (state is CellState.Terminating or CellState.Terminated)
            return;
        if (watching?.Remove(dead) == true)
        {
            (terminatedQueued ??= []).Add(dead);
            Defer(new Envelope(new Terminated(dead), dead));
        }
    }
}
