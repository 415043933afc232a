using AutoCompress.Orchestrator.Scheduling;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>
/// Drives a scheduler the way the experiment actor will, in simulated time: <c>workers</c> workers ask for jobs when
/// free, a job takes <c>duration(job)</c>, and reports arrive in order of completion (ties by trial key), so a run is
/// deterministic. The scheduler can be swapped between steps, which is how the tests restart it from saved state.
/// </summary>
internal sealed class WorkerSimulation(IFidelityScheduler scheduler, int workers, Func<FidelityJob, double?> objective, Func<FidelityJob, double> duration)
{
    private readonly PriorityQueue<FidelityJob, (double Time, long Key)> running = new();

    public IFidelityScheduler Scheduler { get; set; } = scheduler;

    /// <summary>Stop asking for jobs after this many (for schedulers without a budget).</summary>
    public int MaxJobs { get; init; } = int.MaxValue;

    public double Now { get; private set; }

    /// <summary>Every job handed out, in order.</summary>
    public List<FidelityJob> Issued { get; } = [];

    /// <summary>Every decision NextJob made, as text (Run/Wait/Finished), in order.</summary>
    public List<string> Decisions { get; } = [];

    public bool Finished { get; private set; }

    /// <summary>Sum of the resources of reported trials, each trained from scratch.</summary>
    public double Resource { get; private set; }

    /// <summary>The same when a promotion resumes from its parent's checkpoint (it only adds resource − parent resource).</summary>
    public double WarmStartResource { get; private set; }

    public IReadOnlyList<FidelityJob> Running => [.. running.UnorderedItems.Select(i => i.Element).OrderBy(j => j.TrialKey)];

    /// <summary>Fills free workers, then delivers the next completion; false when nothing is running any more.</summary>
    public bool Step()
    {
        while (running.Count < workers && Issued.Count < MaxJobs)
        {
            var decision = Scheduler.NextJob();
            Decisions.Add(decision.ToString());
            if (decision.Kind == SchedulerDecisionKind.Finished) Finished = true;
            if (decision.Job is not { } job) break;
            Issued.Add(job);
            running.Enqueue(job, (Now + duration(job), job.TrialKey));
        }
        if (!running.TryDequeue(out var done, out var at)) return false;
        Now = at.Time;
        if (objective(done) is { } value) Scheduler.Report(done.TrialKey, done.Rung, value);
        else Scheduler.ReportFailure(done.TrialKey, done.Rung, "simulated failure");
        Resource += done.Resource;
        WarmStartResource += done.Resource - (done.ParentResource ?? 0);
        return true;
    }

    public WorkerSimulation RunToEnd()
    {
        while (Step()) { }
        return this;
    }
}
