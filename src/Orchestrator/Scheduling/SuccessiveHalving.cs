namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// Synchronous successive halving (Jamieson &amp; Talwalkar 2016; the inner loop of Hyperband): n configurations are
/// evaluated at r; once every trial of a rung has reported, the best floor(size/eta) of it (at least one, and only
/// completed ones: a failure ranks worst and is never promoted) go on to the next rung at eta times the resource,
/// until the top rung at R. n = 9, eta = 3, r = 1, R = 9: 9 at 1, 3 at 3, 1 at 9.
/// <para>
/// Within a rung the jobs are independent, so up to the rung's size run in parallel; between rungs the search waits
/// (<see cref="SchedulerDecisionKind.Wait"/>) for the slowest trial. That barrier is what
/// <see cref="AsynchronousSuccessiveHalving"/> removes; successive halving is here as the reference it approximates
/// and for small, fully parallel budgets where the barrier costs little.
/// </para>
/// </summary>
public sealed class SuccessiveHalving : IFidelityScheduler
{
    private readonly SuccessiveHalvingOptions options;
    private readonly RungBook book;

    public SuccessiveHalving(SuccessiveHalvingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        book = new RungBook(options.Resources, options.Direction);
    }

    private SuccessiveHalving(SuccessiveHalvingOptions options, RungBook book) => (this.options, this.book) = (options, book);

    public SuccessiveHalvingOptions Options => options;

    public OptimizationDirection Direction => book.Direction;

    public IReadOnlyList<double> Resources => book.Resources;

    public int TopRung => book.TopRung;

    /// <summary>
    /// How many trials rung <paramref name="rung"/> gets: n at rung 0 (fewer if new configurations were stopped
    /// early), otherwise floor(size of the rung below / eta), at least 1, at most the completed trials below.
    /// Only meaningful once the rung below is decided.
    /// </summary>
    public int RungSize(int rung)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rung);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rung, TopRung);
        if (rung == 0) return book.NewConfigurationsStopped ? book.Count(0) : options.Configurations;
        var below = book.Count(rung - 1);
        var keep = Math.Max(1, (int)Math.Floor(below / options.Eta));
        return Math.Min(keep, book.SucceededAt(rung - 1));
    }

    public SchedulerDecision NextJob()
    {
        var current = Math.Max(0, book.HighestOccupiedRung);
        if (book.Count(current) < RungSize(current))
            return SchedulerDecision.Run(current == 0 ? book.IssueNew() : book.IssuePromotion(Promotable(current - 1, RungSize(current))));
        // The current rung has all its trials; it is decided once they have all reported.
        if (book.InFlightAt(current) > 0) return SchedulerDecision.Wait;
        if (current == TopRung || RungSize(current + 1) == 0) return SchedulerDecision.Finished;
        return SchedulerDecision.Run(book.IssuePromotion(Promotable(current, RungSize(current + 1))));
    }

    // Rung sizes never exceed the completed trials below, and promotions always come from the top, so one is left.
    private FidelityTrial Promotable(int rung, int top) =>
        book.FirstPromotable(rung, top) ?? throw new InvalidOperationException($"successive halving: no trial of rung {rung} left to promote among its best {top}");

    public void Report(long trialKey, int rung, double objective) => book.Report(trialKey, rung, objective);

    public void ReportFailure(long trialKey, int rung, string error) => book.Fail(trialKey, rung, error);

    public void Withdraw(long trialKey) => book.Withdraw(trialKey);

    public void StopNewConfigurations() => book.NewConfigurationsStopped = true;

    public IReadOnlyList<RungSnapshot> Rungs => book.Snapshots();

    public IReadOnlyList<FidelityJob> InFlight => book.InFlight();

    public IReadOnlyList<FidelityTrial> ReachedTop => book.ReachedTop();

    public FidelityTrial? Best => ReachedTop is [var best, ..] ? best : null;

    public FidelitySchedulerState SaveState() => book.State(options, null);

    /// <summary>The scheduler <paramref name="state"/> describes (see <see cref="FidelitySchedulerState.Restore"/>).</summary>
    public static SuccessiveHalving Restore(FidelitySchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var options = state.SuccessiveHalving ?? throw new InvalidDataException("scheduler state: not a successive halving state (\"successive_halving\" is null)");
        if (state.Asha is not null) throw new InvalidDataException("scheduler state: both \"successive_halving\" and \"asha\" hold settings");
        options.Validate();
        var scheduler = new SuccessiveHalving(options, RungBook.Restore(state, options.Resources, options.Direction));
        // Rungs fill one after the other: a rung may only hold trials once the one below is decided, and no more than it allows.
        for (var k = 0; k <= scheduler.TopRung; k++)
        {
            var count = scheduler.book.Count(k);
            if (count == 0) continue;
            if (k > 0 && scheduler.book.InFlightAt(k - 1) > 0)
                throw new InvalidDataException($"scheduler state: rung {k} has trials while rung {k - 1} still has trials in flight");
            if (count > scheduler.RungSize(k))
                throw new InvalidDataException($"scheduler state: rung {k} holds {count} trials, successive halving allows {scheduler.RungSize(k)}");
        }
        return scheduler;
    }
}
