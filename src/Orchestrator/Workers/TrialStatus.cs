namespace AutoCompress.Orchestrator.Workers;

/// <summary>How a trial ended. Retrying is the scheduler's decision; the status tells it what happened.</summary>
public enum TrialStatus
{
    /// <summary>The evaluator returned a result.</summary>
    Completed,
    /// <summary>The evaluator threw (bad configuration, unknown evaluator, ...); the worker survived.</summary>
    Failed,
    /// <summary>The worker process died during the trial (native crash, FailFast, exit) or broke the protocol.</summary>
    Crashed,
    /// <summary>The trial ran past its time limit and was cancelled (or its worker killed after the grace period).</summary>
    TimedOut,
    /// <summary>The caller cancelled the trial (or the pool was disposed) while it was queued or running.</summary>
    Cancelled,
    /// <summary>The trial never ran: no worker could be started (the reason is in the error). A later retry may succeed.</summary>
    WorkerUnavailable,
}
