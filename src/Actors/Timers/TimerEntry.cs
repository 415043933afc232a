namespace AutoCompress.Actors;

/// <summary>
/// One running timer. Its fired notification is allocated once and reused: a tick is only posted when the previous one
/// has been delivered (or dropped), which also keeps a periodic timer of a busy actor from queueing ticks without bound.
/// </summary>
internal sealed class TimerEntry
{
    private readonly ActorCell cell;
    private readonly SysTimerFired fired;
    private ITimer? timer;
    private int pending;

    public TimerEntry(ActorCell cell, object key, object message, bool periodic)
    {
        this.cell = cell;
        Key = key;
        Message = message;
        Periodic = periodic;
        fired = new SysTimerFired(this);
    }

    public object Key { get; }

    public object Message { get; }

    public bool Periodic { get; }

    public void Arm(TimeProvider time, TimeSpan dueTime, TimeSpan period) =>
        timer = time.CreateTimer(static state => ((TimerEntry)state!).Fire(), this, dueTime, period);

    public void Delivered() => Volatile.Write(ref pending, 0);

    public void Dispose() => timer?.Dispose();

    private void Fire()
    {
        if (Interlocked.Exchange(ref pending, 1) == 0)
            cell.SendSystem(fired);
    }
}
