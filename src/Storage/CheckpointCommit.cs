namespace AutoCompress.Storage;

/// <summary>
/// Outcome of <see cref="ExperimentStore.CompleteTrialsAndCheckpointAsync"/>: either every completion and the checkpoint
/// were committed together, or nothing was, and <see cref="RefusedTrialIds"/> says which completions could not be
/// applied (trial not running, stale attempt, another experiment's trial, or listed twice). The caller then rebuilds
/// the strategy state without those results and tries again.
/// </summary>
/// <param name="Committed">Whether the completions and the checkpoint were committed.</param>
/// <param name="CheckpointSeq">The new checkpoint's sequence number when committed.</param>
/// <param name="RefusedTrialIds">Completions that prevented the commit (empty when committed).</param>
public sealed record CheckpointCommit(bool Committed, long? CheckpointSeq, IReadOnlyList<long> RefusedTrialIds);
