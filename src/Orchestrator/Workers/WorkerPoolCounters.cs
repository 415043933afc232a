namespace AutoCompress.Orchestrator.Workers;

/// <summary>A snapshot of what a <see cref="WorkerPool"/> is doing and has been through.</summary>
/// <param name="Busy">Slots running (or starting a worker for) a trial.</param>
/// <param name="Idle">Live workers waiting for a trial.</param>
/// <param name="Queued">Trials waiting for a free slot.</param>
/// <param name="InProcess">Trials running in-process right now.</param>
/// <param name="Started">Worker processes started successfully, ever.</param>
/// <param name="Restarts">Of those, how many replaced an earlier worker of their slot.</param>
/// <param name="Crashes">Workers that died on their own or broke the protocol (during a trial or idle).</param>
/// <param name="Kills">Workers the pool killed because a trial did not stop within the cancel grace period.</param>
/// <param name="StartFailures">Attempts to start a worker that failed (it could not run, died, or did not say Ready).</param>
public sealed record WorkerPoolCounters(int Busy, int Idle, int Queued, int InProcess, long Started, long Restarts, long Crashes, long Kills, long StartFailures);
