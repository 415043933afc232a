namespace AutoCompress.Storage;

/// <summary>
/// A snapshot of a strategy's whole state. <see cref="ToldCount"/> is how many results the strategy had been told when
/// the snapshot was taken; with <see cref="ExperimentStore.CompleteTrialsAndCheckpointAsync"/> it always equals the
/// number of completions committed with or before it, which is what lets a resumed search continue exactly.
/// </summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Seq">1-based checkpoint number within the experiment (increasing).</param>
/// <param name="State">The serialized strategy state (opaque to the store).</param>
/// <param name="ToldCount">Results the strategy had been told.</param>
/// <param name="CreatedAt">When the checkpoint was committed.</param>
public sealed record Checkpoint(Guid ExperimentId, long Seq, ReadOnlyMemory<byte> State, long ToldCount, DateTimeOffset CreatedAt);
