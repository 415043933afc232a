namespace AutoCompress.Storage;

/// <summary>
/// Lifecycle of an experiment (a search). Stored as lower-case text so that the database stays readable with the
/// sqlite3 shell; transitions are not policed here because the orchestrator owns the policy (for example resuming a
/// failed search after a fix is legitimate).
/// </summary>
public enum ExperimentStatus
{
    Created,
    Running,
    Paused,
    Completed,
    Failed,
    Cancelled,
}
