namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// ASHA, asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning",
/// Algorithm 2). Successive halving waits for a whole rung before promoting; ASHA never waits: whenever a worker is
/// free, <see cref="NextJob"/> looks from the rung below the top down to rung 0 for a trial among the best
/// floor(|results of the rung| / eta) that has not been promoted yet and promotes the best such trial (a new trial of
/// the same configuration one rung up, its parent the promoted trial); if there is none it asks for a new
/// configuration at rung 0. Promotions are therefore decided on the results so far, and a trial promoted early stays
/// promoted even if later results push it out of the top 1/eta: the price of keeping every worker busy, which the
/// paper shows costs little.
/// <para>
/// A failed trial counts in its rung's size (it was a real evaluation) and ranks last, so it is never promoted.
/// Without <see cref="AshaOptions.MaxConfigurations"/> the search never finishes by itself; with it, NextJob waits
/// for in-flight trials once the budget is spent and no promotion is possible, and finishes when nothing is left.
/// </para>
/// </summary>
public sealed class AsynchronousSuccessiveHalving : IFidelityScheduler
{
    private readonly AshaOptions options;
    private readonly RungBook book;

    public AsynchronousSuccessiveHalving(AshaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        book = new RungBook(options.Resources, options.Direction);
    }

    private AsynchronousSuccessiveHalving(AshaOptions options, RungBook book) => (this.options, this.book) = (options, book);

    public AshaOptions Options => options;

    public OptimizationDirection Direction => book.Direction;

    public IReadOnlyList<double> Resources => book.Resources;

    public int TopRung => book.TopRung;

    /// <summary>How many new configurations were started (withdrawn ones not counted).</summary>
    public int ConfigurationsStarted => book.Count(0);

    public SchedulerDecision NextJob()
    {
        for (var k = TopRung - 1; k >= 0; k--)
        {
            var top = (int)Math.Floor(book.Ranking(k).Count / options.Eta);
            if (book.FirstPromotable(k, top) is { } trial) return SchedulerDecision.Run(book.IssuePromotion(trial));
        }
        if (!book.NewConfigurationsStopped && (options.MaxConfigurations is null || book.Count(0) < options.MaxConfigurations))
            return SchedulerDecision.Run(book.IssueNew());
        return book.InFlightCount > 0 ? SchedulerDecision.Wait : SchedulerDecision.Finished;
    }

    /// <summary>What <see cref="NextJob"/> would decide now, without issuing anything.</summary>
    public SchedulerDecisionKind Peek()
    {
        for (var k = TopRung - 1; k >= 0; k--)
        {
            var top = (int)Math.Floor(book.Ranking(k).Count / options.Eta);
            if (book.FirstPromotable(k, top) is not null) return SchedulerDecisionKind.Run;
        }
        if (!book.NewConfigurationsStopped && (options.MaxConfigurations is null || book.Count(0) < options.MaxConfigurations))
            return SchedulerDecisionKind.Run;
        return book.InFlightCount > 0 ? SchedulerDecisionKind.Wait : SchedulerDecisionKind.Finished;
    }

    public void Report(long trialKey, int rung, double objective) => book.Report(trialKey, rung, objective);

    public void ReportFailure(long trialKey, int rung, string error) => book.Fail(trialKey, rung, error);

    public void Withdraw(long trialKey) => book.Withdraw(trialKey);

    public void StopNewConfigurations() => book.NewConfigurationsStopped = true;

    public IReadOnlyList<RungSnapshot> Rungs => book.Snapshots();

    public IReadOnlyList<FidelityJob> InFlight => book.InFlight();

    public IReadOnlyList<FidelityTrial> ReachedTop => book.ReachedTop();

    public FidelityTrial? Best => ReachedTop is [var best, ..] ? best : null;

    public FidelitySchedulerState SaveState() => book.State(null, options);

    /// <summary>The scheduler <paramref name="state"/> describes (see <see cref="FidelitySchedulerState.Restore"/>).</summary>
    public static AsynchronousSuccessiveHalving Restore(FidelitySchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var options = state.Asha ?? throw new InvalidDataException("scheduler state: not an ASHA state (\"asha\" is null)");
        if (state.SuccessiveHalving is not null) throw new InvalidDataException("scheduler state: both \"successive_halving\" and \"asha\" hold settings");
        options.Validate();
        var book = RungBook.Restore(state, options.Resources, options.Direction);
        if (options.MaxConfigurations is { } max && book.Count(0) > max)
            throw new InvalidDataException($"scheduler state: {book.Count(0)} configurations were started, the budget is {max}");
        return new AsynchronousSuccessiveHalving(options, book);
    }
}
