namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// The answer to "a worker is free, what now?": a job to run, wait for a report, or finished. Wait and Finished
/// are distinct so that the experiment actor can tell an idle moment from the end of the search.
/// </summary>
public sealed record SchedulerDecision
{
    private SchedulerDecision(SchedulerDecisionKind kind, FidelityJob? job) => (Kind, Job) = (kind, job);

    public SchedulerDecisionKind Kind { get; }

    /// <summary>The job when <see cref="Kind"/> is <see cref="SchedulerDecisionKind.Run"/>, otherwise null.</summary>
    public FidelityJob? Job { get; }

    public static SchedulerDecision Wait { get; } = new(SchedulerDecisionKind.Wait, null);

    public static SchedulerDecision Finished { get; } = new(SchedulerDecisionKind.Finished, null);

    public static SchedulerDecision Run(FidelityJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(SchedulerDecisionKind.Run, job);
    }

    public override string ToString() => Job is null ? Kind.ToString() : $"Run {Job}";
}
