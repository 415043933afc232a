namespace AutoCompress.Storage;

/// <summary>
/// A trial as stored. <see cref="Attempt"/> counts starts: a worker must present the attempt it was given when it
/// completes the trial, so a worker that lost its trial (it crashed, or the trial was recovered and restarted) cannot
/// complete it a second time.
/// </summary>
/// <param name="Id">Store-wide trial id.</param>
/// <param name="ExperimentId">The experiment the trial belongs to.</param>
/// <param name="Seq">1-based sequence number within the experiment, in the order trials were added.</param>
/// <param name="ConfigJson">The configuration as JSON.</param>
/// <param name="Fidelity">The fidelity the configuration is evaluated at.</param>
/// <param name="ParentId">The trial this one was promoted from, if any.</param>
/// <param name="Priority">Claim priority (higher first).</param>
/// <param name="Status">Current status.</param>
/// <param name="Attempt">How many times the trial has been started (0 while never started).</param>
/// <param name="WorkerId">The worker that holds or held the trial.</param>
/// <param name="Metrics">Result metrics once completed.</param>
/// <param name="Error">Why the trial failed, if it did.</param>
/// <param name="CreatedAt">When the trial was added.</param>
/// <param name="StartedAt">When the current attempt started.</param>
/// <param name="EndedAt">When the trial completed, failed or was cancelled.</param>
/// <param name="Duration">EndedAt - StartedAt of the final attempt.</param>
public sealed record Trial(
    long Id,
    Guid ExperimentId,
    long Seq,
    string ConfigJson,
    double Fidelity,
    long? ParentId,
    int Priority,
    TrialStatus Status,
    int Attempt,
    string? WorkerId,
    IReadOnlyDictionary<string, double>? Metrics,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    TimeSpan? Duration);
