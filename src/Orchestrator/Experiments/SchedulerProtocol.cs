using AutoCompress.Orchestrator.Workers;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>A stored trial waiting for a slot.</summary>
/// <param name="TrialId">The store's trial id.</param>
/// <param name="Seq">The trial's number in its experiment (= the strategy's suggestion index).</param>
/// <param name="StrategyConfig">The configuration as the strategy suggested it (JSON object).</param>
/// <param name="RequestConfig">What the evaluator receives: the strategy's configuration merged with the spec's fixed values.</param>
/// <param name="Fidelity">The fidelity for the evaluator, or null for full fidelity.</param>
/// <param name="Priority">Order within the experiment (higher first), then by <paramref name="Seq"/>.</param>
/// <param name="Seed">The trial's seed.</param>
public sealed record QueuedTrial(long TrialId, long Seq, string StrategyConfig, string RequestConfig, double? Fidelity, int Priority, int Seed);

/// <summary>An experiment hands trials to the scheduler (the sender is the experiment actor, which gets the outcomes).</summary>
public sealed record EnqueueTrials(Guid ExperimentId, int ExperimentPriority, string EvaluatorId, TimeSpan TimeLimit,
    string WorkDirectory, IReadOnlyList<QueuedTrial> Trials);

/// <summary>
/// Drops an experiment's queued trials (they stay pending in the store) and, with <paramref name="CancelRunning"/>,
/// cancels its running ones. The scheduler answers the sender with <see cref="TrialsWithdrawn"/>.
/// </summary>
public sealed record WithdrawExperiment(Guid ExperimentId, bool CancelRunning);

/// <summary>Drops one queued trial (answered with <see cref="TrialsWithdrawn"/>) or cancels it if running.</summary>
public sealed record CancelScheduledTrial(Guid ExperimentId, long TrialId);

/// <summary>The queued trials the scheduler dropped for a <see cref="WithdrawExperiment"/>.</summary>
public sealed record TrialsWithdrawn(Guid ExperimentId, IReadOnlyList<long> TrialIds);

/// <summary>A trial got a slot and was started in the store.</summary>
public sealed record TrialStarted(long TrialId, int Attempt);

/// <summary>The store refused to start a trial (it was cancelled meanwhile); it will not run.</summary>
public sealed record TrialStartRefused(QueuedTrial Trial, string Reason);

/// <summary>A trial's attempt ended; the outcome says how.</summary>
public sealed record TrialFinished(QueuedTrial Trial, int Attempt, TrialOutcome Outcome);

/// <summary>Asks the scheduler for <see cref="SchedulerStatus"/>.</summary>
public sealed record GetSchedulerStatus
{
    public static GetSchedulerStatus Instance { get; } = new();
}

/// <summary>Slots and queues, per experiment.</summary>
public sealed record SchedulerStatus(int IsolatedSlots, int InProcessSlots, int RunningIsolated, int RunningInProcess,
    IReadOnlyDictionary<Guid, (int Queued, int Running)> Experiments, long Dispatched);
