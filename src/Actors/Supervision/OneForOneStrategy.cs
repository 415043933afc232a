namespace AutoCompress.Actors;

/// <summary>
/// Applies the directive to the failing child only, with at most <see cref="MaxNrOfRetries"/> restarts within
/// <see cref="WithinTimeRange"/>; a child that would exceed the budget is stopped instead (its watchers, typically the
/// parent, get <see cref="Terminated"/>). Budget semantics follow Akka.NET: -1 retries means unlimited, 0 means never
/// restart, and an infinite window counts restarts over the child's whole life.
/// </summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    private readonly Func<Exception, Directive> decider;

    /// <param name="maxNrOfRetries">Restarts allowed within the window; -1 for unlimited.</param>
    /// <param name="withinTimeRange">The window; <see cref="Timeout.InfiniteTimeSpan"/> for the child's whole life.</param>
    /// <param name="decider">Maps an exception to a directive.</param>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNrOfRetries, -1);
        if (withinTimeRange <= TimeSpan.Zero && withinTimeRange != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(withinTimeRange), withinTimeRange, "The restart window must be positive or Timeout.InfiniteTimeSpan.");
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        this.decider = decider;
    }

    /// <summary>Unlimited restarts, decided by <paramref name="decider"/>.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; -1 for unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window the budget applies to.</summary>
    public TimeSpan WithinTimeRange { get; }

    public override Directive Decide(Exception cause) => decider(cause);

    internal override bool RequestRestartPermission(ChildRestartStats stats, TimeSpan now)
    {
        if (MaxNrOfRetries == 0)
            return false;
        var infiniteWindow = WithinTimeRange == Timeout.InfiniteTimeSpan;
        if (MaxNrOfRetries < 0 && infiniteWindow)
            return true;
        if (infiniteWindow)
            return ++stats.RetryCount <= MaxNrOfRetries;

        var allowed = MaxNrOfRetries < 0 ? 1 : MaxNrOfRetries;
        stats.WindowStart ??= now;
        if (now - stats.WindowStart.Value <= WithinTimeRange)
            return ++stats.RetryCount <= allowed;
        stats.RetryCount = 1;
        stats.WindowStart = now;
        return true;
    }

    internal override string DescribeBudget() => MaxNrOfRetries < 0
        ? "unlimited restarts"
        : WithinTimeRange == Timeout.InfiniteTimeSpan
            ? $"{MaxNrOfRetries} restarts"
            : $"{MaxNrOfRetries} restarts within {WithinTimeRange}";
}
