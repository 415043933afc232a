namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>What <see cref="IFidelityScheduler.NextJob"/> tells a free worker to do.</summary>
public enum SchedulerDecisionKind
{
    /// <summary>Run <see cref="SchedulerDecision.Job"/>.</summary>
    Run,
    /// <summary>Nothing to hand out until an in-flight trial reports (a synchronous rung is not decided yet, or the
    /// configuration budget is spent and no promotion is possible yet). Ask again after the next report.</summary>
    Wait,
    /// <summary>The search is over: nothing is in flight and nothing will ever be handed out again.</summary>
    Finished,
}
