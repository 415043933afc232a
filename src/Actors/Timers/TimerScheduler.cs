namespace AutoCompress.Actors;

/// <summary>
/// The timers of one actor. Only the actor touches the table; the timer callbacks, which run on timer threads, only post
/// a <see cref="SysTimerFired"/> system message naming their entry. Delivery checks that the entry is still the one
/// registered under its key, so a message of a cancelled or replaced timer is dropped even if it was already queued.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell, TimeProvider time) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> timers = [];

    public void StartSingleTimer(object key, object message, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        Start(key, message, timeout, Timeout.InfiniteTimeSpan);
    }

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) =>
        StartPeriodicTimer(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return timers.ContainsKey(key);
    }

    public void Cancel(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (timers.Remove(key, out var entry))
            entry.Dispose();
    }

    public void CancelAll()
    {
        foreach (var entry in timers.Values)
            entry.Dispose();
        timers.Clear();
    }

    /// <summary>
    /// Called by the actor's loop when <paramref name="fired"/> reaches the head of the queue: yields the message if the
    /// timer is still current (and retires a single timer), or false if it was cancelled or replaced.
    /// </summary>
    internal bool TryTake(SysTimerFired fired, out object message)
    {
        var entry = fired.Entry;
        entry.Delivered();
        if (!timers.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry))
        {
            message = null!;
            return false;
        }
        if (!entry.Periodic)
        {
            timers.Remove(entry.Key);
            entry.Dispose();
        }
        message = entry.Message;
        return true;
    }

    private void Start(object key, object message, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var entry = new TimerEntry(cell, key, message, period != Timeout.InfiniteTimeSpan);
        timers[key] = entry;
        entry.Arm(time, dueTime, period);
    }
}
