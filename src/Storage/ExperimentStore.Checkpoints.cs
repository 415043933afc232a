using AutoCompress.Storage.Internal;

namespace AutoCompress.Storage;

// Strategy checkpoints: save (keeping the last K), save atomically with the completions they were told, read the latest.
public sealed partial class ExperimentStore
{
    /// <summary>
    /// Saves a snapshot of the strategy's state and returns its sequence number; only the newest
    /// <see cref="ExperimentStoreOptions.CheckpointsToKeep"/> are kept. Prefer
    /// <see cref="CompleteTrialsAndCheckpointAsync"/> when the snapshot includes newly told results.
    /// </summary>
    public Task<long> SaveCheckpointAsync(Guid experimentId, ReadOnlyMemory<byte> state, long toldCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(toldCount);
        var bytes = state.ToArray(); // the caller may reuse its buffer as soon as this returns
        return Write(s => InsertCheckpoint(s, s.ExperimentKey(experimentId), bytes, toldCount), cancellationToken);
    }

    /// <summary>
    /// Commits several completions and the checkpoint of a strategy that has been told them in ONE transaction, so a
    /// resumed strategy never sees a completion it was not told, nor was told one that is not stored. All or nothing:
    /// when any completion cannot be applied (trial not running, stale attempt, another experiment's trial, listed
    /// twice) nothing is written and the result names the refused trials.
    /// </summary>
    public Task<CheckpointCommit> CompleteTrialsAndCheckpointAsync(Guid experimentId, IReadOnlyList<TrialCompletion> completions,
        ReadOnlyMemory<byte> state, long toldCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        ArgumentOutOfRangeException.ThrowIfNegative(toldCount);
        var prepared = new (TrialCompletion Completion, string Json)[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            var completion = completions[i] ?? throw new ArgumentException($"completion {i} is null", nameof(completions));
            ValidateArtifacts(completion.TrialId, completion.Artifacts);
            if (completion.Error is not null && string.IsNullOrWhiteSpace(completion.Error))
                throw new ArgumentException($"trial {completion.TrialId}: a failure needs a reason", nameof(completions));
            prepared[i] = (completion, completion.Error is null ? JsonText.Metrics(completion.Metrics, $"trial {completion.TrialId}: metrics") : "");
        }
        var bytes = state.ToArray();
        return Write(s =>
        {
            var experiment = s.ExperimentKey(experimentId);
            // The single writer runs nothing else meanwhile, so checking first and then applying is atomic.
            var refused = new List<long>();
            var seen = new HashSet<long>();
            var check = s.Statement("SELECT experiment_id, status, attempt FROM trials WHERE id = $id", "$id");
            foreach (var (completion, _) in prepared)
            {
                check.Parameters[0].Value = completion.TrialId;
                using var reader = check.ExecuteReader();
                var ok = seen.Add(completion.TrialId) && reader.Read()
                    && reader.GetInt64(0) == experiment && reader.GetString(1) == "running" && reader.GetInt64(2) == completion.Attempt;
                if (!ok) refused.Add(completion.TrialId);
            }
            if (refused.Count > 0) return new CheckpointCommit(false, null, refused);
            foreach (var (completion, json) in prepared)
                if (completion.Error is { } error ? !Fail(s, completion.TrialId, completion.Attempt, error, completion.Artifacts)
                    : !Complete(s, completion.TrialId, completion.Attempt, json, completion.Artifacts))
                    throw new InvalidOperationException($"trial {completion.TrialId} changed between check and completion"); // cannot happen: single writer
            return new CheckpointCommit(true, InsertCheckpoint(s, experiment, bytes, toldCount), []);
        }, cancellationToken);
    }

    /// <summary>
    /// Adds trials and the checkpoint of the strategy that suggested them in ONE transaction, so a resumed strategy
    /// neither suggests them again nor expects trials that were never stored. Returns the trials' ids (in input
    /// order) and the checkpoint's sequence number.
    /// </summary>
    public Task<(IReadOnlyList<long> TrialIds, long CheckpointSeq)> AddTrialsAndCheckpointAsync(Guid experimentId,
        IReadOnlyList<NewTrial> trials, ReadOnlyMemory<byte> state, long toldCount, CancellationToken cancellationToken = default)
    {
        ValidateNewTrials(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(toldCount);
        var bytes = state.ToArray();
        return Write<(IReadOnlyList<long>, long)>(s =>
        {
            var experiment = s.ExperimentKey(experimentId);
            var ids = InsertTrials(s, experiment, trials);
            return (ids, InsertCheckpoint(s, experiment, bytes, toldCount));
        }, cancellationToken);
    }

    /// <summary>The newest checkpoint of the experiment, or null when it has none.</summary>
    public Task<Checkpoint?> LatestCheckpointAsync(Guid experimentId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            var experiment = ExperimentKey(connection, experimentId);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, state, told_count, created_ms FROM checkpoints WHERE experiment_id = $e ORDER BY seq DESC LIMIT 1";
            command.Parameters.AddWithValue("$e", experiment);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            return new Checkpoint(experimentId, reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetInt64(2), UnixTime.From(reader.GetInt64(3)));
        }, cancellationToken);

    private static long InsertCheckpoint(WriterSession s, long experiment, byte[] state, long toldCount)
    {
        var insert = s.Statement(
            "INSERT INTO checkpoints (experiment_id, seq, state, told_count, created_ms) " +
            "VALUES ($e, (SELECT COALESCE(MAX(seq), 0) + 1 FROM checkpoints WHERE experiment_id = $e), $state, $told, $now) RETURNING seq",
            "$e", "$state", "$told", "$now");
        insert.Parameters[0].Value = experiment;
        insert.Parameters[1].Value = state;
        insert.Parameters[2].Value = toldCount;
        insert.Parameters[3].Value = s.Now();
        var seq = (long)insert.ExecuteScalar()!;
        var prune = s.Statement("DELETE FROM checkpoints WHERE experiment_id = $e AND seq <= $oldest", "$e", "$oldest");
        prune.Parameters[0].Value = experiment;
        prune.Parameters[1].Value = seq - s.CheckpointsToKeep;
        prune.ExecuteNonQuery();
        return seq;
    }
}
