namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>Where a trial of a multi-fidelity scheduler stands. Only reported trials are ranked.</summary>
public enum FidelityTrialStatus
{
    /// <summary>Handed out by <see cref="IFidelityScheduler.NextJob"/> and not reported yet.</summary>
    InFlight,
    /// <summary>Reported with an objective.</summary>
    Completed,
    /// <summary>Reported as failed: it ranks below every completed trial of its rung and is never promoted.</summary>
    Failed,
}
