namespace AutoCompress.Cli;

/// <summary>
/// Estimates how long an experiment still needs from the rate at which trials ended since this watcher first looked
/// (not since the experiment was created: a resumed or long-paused search would otherwise look far faster or slower
/// than it now is). Unknown (null) until at least one trial has ended under observation.
/// </summary>
internal sealed class TimeLeftEstimator(TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private long firstDone = -1;
    private long firstTimestamp;

    /// <summary>The time left for <paramref name="total"/> - <paramref name="done"/> more trials, or null when unknown.</summary>
    public TimeSpan? Estimate(long done, long total)
    {
        var now = clock.GetTimestamp();
        if (firstDone < 0)
        {
            (firstDone, firstTimestamp) = (done, now);
            return null;
        }
        if (done >= total) return TimeSpan.Zero;
        var ended = done - firstDone;
        var elapsed = clock.GetElapsedTime(firstTimestamp, now);
        if (ended <= 0 || elapsed <= TimeSpan.Zero) return null;
        return TimeSpan.FromSeconds((total - done) * elapsed.TotalSeconds / ended);
    }

    /// <summary>"1h02m", "3m05s", "42s"; "-" when unknown.</summary>
    public static string Format(TimeSpan? left) => left switch
    {
        null => "-",
        { TotalHours: >= 1 } t => $"{(int)t.TotalHours}h{t.Minutes:00}m",
        { TotalMinutes: >= 1 } t => $"{t.Minutes}m{t.Seconds:00}s",
        { } t => $"{Math.Ceiling(t.TotalSeconds):0}s",
    };
}
