namespace AutoCompress.Storage;

/// <summary>
/// One search as stored: the opaque specification JSON the orchestrator needs to rebuild the search after a restart,
/// its status and, when it failed, why.
/// </summary>
/// <param name="Id">Public identifier (a UUID, so ids from different stores never collide).</param>
/// <param name="Name">Human-readable name; not unique.</param>
/// <param name="SpecJson">The experiment specification as JSON (validated as JSON, otherwise opaque to the store).</param>
/// <param name="Status">Current lifecycle status.</param>
/// <param name="CreatedAt">When the experiment was created (UTC, millisecond precision).</param>
/// <param name="UpdatedAt">When the status last changed (UTC, millisecond precision).</param>
/// <param name="Error">Why the experiment failed, if it did.</param>
public sealed record Experiment(
    Guid Id,
    string Name,
    string SpecJson,
    ExperimentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Error);
