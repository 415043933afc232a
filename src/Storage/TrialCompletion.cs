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
/// <param name="Error">When set, the attempt failed for this reason: the trial is marked failed instead (metrics ignored).</param>
public sealed record TrialCompletion(
    long TrialId,
    int Attempt,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ArtifactInfo>? Artifacts = null,
    string? Error = null)
{
    /// <summary>
    /// A failed attempt, to commit with the checkpoint of a strategy that has been told the failure; its artifacts
    /// (the trial's log) are recorded too.
    /// </summary>
    public static TrialCompletion Failure(long trialId, int attempt, string error, IReadOnlyList<ArtifactInfo>? artifacts = null) =>
        new(trialId, attempt, new Dictionary<string, double>(), artifacts, error);
}
