namespace AutoCompress.Actors;

/// <summary>
/// Messages between cells about lifecycle and supervision. They travel through a separate unbounded queue that the loop
/// drains before every user message, so that stopping, supervising and death watch keep working when a mailbox is full.
/// </summary>
internal abstract record SystemMessage;

/// <summary>Stop (children first, then PostStop, then dead-letter the mailbox).</summary>
internal sealed record SysTerminate : SystemMessage
{
    public static readonly SysTerminate Instance = new();
}

/// <summary>From the supervisor: carry on after a failure.</summary>
internal sealed record SysResume : SystemMessage
{
    public static readonly SysResume Instance = new();
}

/// <summary>From the supervisor: replace the actor instance.</summary>
internal sealed record SysRecreate(Exception Cause) : SystemMessage;

/// <summary>To the supervisor: <paramref name="Child"/> threw and waits, suspended, for a directive.</summary>
internal sealed record SysFailed(LocalActorRef Child, Exception Cause) : SystemMessage;

/// <summary>To the parent: <paramref name="Child"/> has finished stopping.</summary>
internal sealed record SysChildTerminated(LocalActorRef Child) : SystemMessage;

/// <summary>To the watchee: notify <paramref name="Watcher"/> when you stop.</summary>
internal sealed record SysWatch(LocalActorRef Watcher) : SystemMessage;

/// <summary>To the watchee: stop notifying <paramref name="Watcher"/>.</summary>
internal sealed record SysUnwatch(LocalActorRef Watcher) : SystemMessage;

/// <summary>To a watcher: <paramref name="Actor"/> has stopped.</summary>
internal sealed record SysDeathWatchNotification(IActorRef Actor) : SystemMessage;

/// <summary>A timer of this actor is due (see <see cref="TimerScheduler"/>).</summary>
internal sealed record SysTimerFired(TimerEntry Entry) : SystemMessage;
