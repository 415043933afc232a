namespace AutoCompress.Storage;

/// <summary>
/// A worker's result for one attempt of a trial, as passed to
/// <see cref="ExperimentStore.CompleteTrialsAndCheckpointAsync"/> (several completions and the strategy checkpoint that
/// has been told them, committed together).
/// </summary>
/// <param name="TrialId">The trial.</param>
/// <param name="Attempt">The attempt the worker was given by StartTrial/ClaimNextTrial.</param>
/// <param name="Metrics">Result metrics (snake_case keys).</param>
/// <param name="Artifacts">Files the trial produced (weights, logs), recorded with the completion.</param>
public sealed record TrialCompletion(
    long TrialId,
    int Attempt,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ArtifactInfo>? Artifacts = null);
