namespace AutoCompress.Storage;

/// <summary>
/// Lifecycle of a trial. Only <see cref="Pending"/> trials can be started, and only a <see cref="Running"/> trial at its
/// current attempt can be completed or failed: those two rules are what make completion exactly-once.
/// </summary>
public enum TrialStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}
