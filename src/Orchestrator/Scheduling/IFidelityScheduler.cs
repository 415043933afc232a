namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// The decision logic of a multi-fidelity search, driven by the experiment actor: whenever a worker is free it calls
/// <see cref="NextJob"/>, runs the job, and calls <see cref="Report"/> or <see cref="ReportFailure"/> with the
/// outcome. Pure and deterministic (no I/O, no clock, no randomness, not thread-safe: one actor owns it), so that a
/// run can be replayed and its state persisted after every call.
/// <para>
/// Restart: persist <see cref="SaveState"/> (e.g. as <see cref="FidelitySchedulerState.ToJson"/>) after every
/// NextJob/Report; after a restart <see cref="FidelitySchedulerState.Restore"/> gives a scheduler in the same state.
/// Jobs handed out but not reported are recorded in the state as in-flight trials and listed by
/// <see cref="InFlight"/>: the caller re-runs each of them (same key, configuration and resource) and reports as
/// usual, or gives one back with <see cref="Withdraw"/>. Nothing is re-issued by NextJob on its own, so a job is
/// never run twice by mistake.
/// </para>
/// </summary>
public interface IFidelityScheduler
{
    /// <summary>Smaller or larger objective is better.</summary>
    OptimizationDirection Direction { get; }

    /// <summary>The resource of each rung, cheapest first; the last one is the maximum resource R.</summary>
    IReadOnlyList<double> Resources { get; }

    /// <summary>The index of the top rung (<c>Resources.Count - 1</c>).</summary>
    int TopRung { get; }

    /// <summary>A worker is free: the job to run, or Wait, or Finished. A Run decision is recorded as in flight at once.</summary>
    SchedulerDecision NextJob();

    /// <summary>
    /// Records the objective of in-flight trial <paramref name="trialKey"/>, which runs at <paramref name="rung"/> (a
    /// cross-check). NaN is refused: a diverged evaluation is a failure and is reported with <see cref="ReportFailure"/>.
    /// </summary>
    void Report(long trialKey, int rung, double objective);

    /// <summary>Records that in-flight trial <paramref name="trialKey"/> failed: it ranks last in its rung and is never promoted.</summary>
    void ReportFailure(long trialKey, int rung, string error);

    /// <summary>
    /// Takes back an in-flight job that will not be run (e.g. the search strategy has no new configuration to give):
    /// the trial is forgotten (its key is not reused), a promotion's parent becomes promotable again and a new
    /// configuration's place in the budget is free again.
    /// </summary>
    void Withdraw(long trialKey);

    /// <summary>
    /// No new configurations from now on (the search space is exhausted or the caller's budget is spent): NextJob only
    /// hands out promotions, and the search finishes once none is possible. Persisted in the state.
    /// </summary>
    void StopNewConfigurations();

    /// <summary>Every rung with its trials, ranking and promotions.</summary>
    IReadOnlyList<RungSnapshot> Rungs { get; }

    /// <summary>The jobs handed out and not yet reported, in the order they were handed out.</summary>
    IReadOnlyList<FidelityJob> InFlight { get; }

    /// <summary>The completed trials at the top rung (configurations evaluated at the full resource R), best first.</summary>
    IReadOnlyList<FidelityTrial> ReachedTop { get; }

    /// <summary>The best completed trial at the top rung, or null while none exists.</summary>
    FidelityTrial? Best { get; }

    /// <summary>Everything needed to continue exactly where the scheduler is; see <see cref="FidelitySchedulerState"/>.</summary>
    FidelitySchedulerState SaveState();
}
