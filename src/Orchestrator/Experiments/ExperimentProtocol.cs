using AutoCompress.Storage;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>Creates and starts an experiment from a JSON spec; the reply is <see cref="ExperimentCreated"/> or a failure naming the field.</summary>
public sealed record CreateExperiment(string SpecJson);

public sealed record ExperimentCreated(Guid ExperimentId);

/// <summary>Stops giving the experiment new trials; running ones finish. Reply: <see cref="ExperimentProgress"/>.</summary>
public sealed record PauseExperiment(Guid ExperimentId);

/// <summary>Continues a paused experiment (also one paused before a restart). Reply: <see cref="ExperimentProgress"/>.</summary>
public sealed record ResumeExperiment(Guid ExperimentId);

/// <summary>Cancels the experiment: running trials are stopped, the rest cancelled. Reply: <see cref="ExperimentProgress"/>.</summary>
public sealed record CancelExperiment(Guid ExperimentId);

/// <summary>
/// Cancels one queued or running trial of a running experiment; the strategy is told it failed ("cancelled"). Reply:
/// true when it was cancelled, false when it had already ended or the experiment is not running.
/// </summary>
public sealed record CancelTrial(Guid ExperimentId, long TrialId);

/// <summary>Asks for an experiment's <see cref="ExperimentProgress"/>.</summary>
public sealed record GetProgress(Guid ExperimentId);

/// <summary>Replies with <see cref="ExperimentProgress"/> once the experiment has ended (completed, failed or cancelled).</summary>
public sealed record WaitForEnd(Guid ExperimentId);

/// <summary>Published on the event stream when an experiment ends.</summary>
public sealed record ExperimentEnded(Guid ExperimentId, ExperimentStatus Status, string? Error);

/// <summary>Where an experiment stands.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status">Its lifecycle status.</param>
/// <param name="Suggested">Trials created so far (the strategy's suggestions).</param>
/// <param name="MaxTrials">The trial budget.</param>
/// <param name="Completed">Trials completed.</param>
/// <param name="Failed">Trials failed for good (after retries).</param>
/// <param name="Running">Trials holding a slot.</param>
/// <param name="Queued">Trials waiting for a slot.</param>
/// <param name="Retries">Attempts re-run after a crash or a time-out.</param>
/// <param name="BestValue">The best value of the first objective among completed trials (at full fidelity), or null.</param>
/// <param name="BestTrialSeq">The trial that reached it.</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record ExperimentProgress(Guid ExperimentId, string Name, ExperimentStatus Status, long Suggested, long MaxTrials,
    long Completed, long Failed, int Running, int Queued, long Retries, double? BestValue, long? BestTrialSeq, string? Error);
