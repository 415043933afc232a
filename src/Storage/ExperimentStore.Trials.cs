using System.Globalization;
using AutoCompress.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage;

// Trials, writes: add, start/claim, complete/fail/cancel (exactly once), crash recovery.
public sealed partial class ExperimentStore
{
    private const string TrialColumns =
        "id, seq, config, fidelity, parent_id, priority, status, attempt, worker, metrics, error, created_ms, started_ms, ended_ms, duration_ms";

    private const string StartSet =
        "status = 'running', attempt = attempt + 1, worker = $worker, started_ms = $now, ended_ms = NULL, duration_ms = NULL";

    /// <summary>
    /// Adds trials to an experiment in one transaction (all or none) as <see cref="TrialStatus.Pending"/>, numbered
    /// after the experiment's last trial. Returns their ids in input order.
    /// </summary>
    public Task<IReadOnlyList<long>> AddTrialsAsync(Guid experimentId, IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken = default)
    {
        ValidateNewTrials(trials);
        return Write<IReadOnlyList<long>>(s => InsertTrials(s, s.ExperimentKey(experimentId), trials), cancellationToken);
    }

    private static void ValidateNewTrials(IReadOnlyList<NewTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        if (trials.Count == 0) throw new ArgumentException("no trials to add", nameof(trials));
        for (var i = 0; i < trials.Count; i++)
        {
            var trial = trials[i] ?? throw new ArgumentException($"trial {i} is null", nameof(trials));
            JsonText.Validate(trial.ConfigJson, $"trial {i}: config");
            if (!double.IsFinite(trial.Fidelity) || trial.Fidelity <= 0)
                throw new ArgumentException($"trial {i}: fidelity must be positive and finite, got {trial.Fidelity.ToString(CultureInfo.InvariantCulture)}", nameof(trials));
            if (trial.ParentId is <= 0) throw new ArgumentException($"trial {i}: parent id must be positive, got {trial.ParentId}", nameof(trials));
        }
    }

    private static long[] InsertTrials(WriterSession s, long experiment, IReadOnlyList<NewTrial> trials)
    {
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].ParentId is not { } parent) continue;
            var owner = s.Statement("SELECT experiment_id FROM trials WHERE id = $id", "$id");
            owner.Parameters[0].Value = parent;
            var found = owner.ExecuteScalar();
            if (found is not long parentExperiment) throw new ArgumentException($"trial {i}: parent trial {parent} does not exist");
            if (parentExperiment != experiment) throw new ArgumentException($"trial {i}: parent trial {parent} belongs to another experiment");
        }
        var last = s.Statement("SELECT COALESCE(MAX(seq), 0) FROM trials WHERE experiment_id = $e", "$e");
        last.Parameters[0].Value = experiment;
        var seq = (long)last.ExecuteScalar()!;
        var now = s.Now();
        var insert = s.Statement(
            "INSERT INTO trials (experiment_id, seq, config, fidelity, parent_id, priority, status, attempt, created_ms) " +
            "VALUES ($e, $seq, $config, $fidelity, $parent, $priority, 'pending', 0, $now) RETURNING id",
            "$e", "$seq", "$config", "$fidelity", "$parent", "$priority", "$now");
        var ids = new long[trials.Count];
        for (var i = 0; i < trials.Count; i++)
        {
            var trial = trials[i];
            insert.Parameters[0].Value = experiment;
            insert.Parameters[1].Value = ++seq;
            insert.Parameters[2].Value = trial.ConfigJson;
            insert.Parameters[3].Value = trial.Fidelity;
            insert.Parameters[4].Value = WriterSession.Db(trial.ParentId);
            insert.Parameters[5].Value = trial.Priority;
            insert.Parameters[6].Value = now;
            ids[i] = (long)insert.ExecuteScalar()!;
        }
        return ids;
    }

    /// <summary>
    /// Starts a pending trial for <paramref name="workerId"/> and returns its new attempt number (1 on the first start),
    /// which the worker must present to complete or fail it. Throws <see cref="InvalidOperationException"/> when the
    /// trial is not pending and <see cref="KeyNotFoundException"/> when it does not exist.
    /// </summary>
    public async Task<int> StartTrialAsync(long trialId, string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var (attempt, status) = await Write(s =>
        {
            var start = s.Statement($"UPDATE trials SET {StartSet} WHERE id = $id AND status = 'pending' RETURNING attempt",
                "$worker", "$now", "$id");
            start.Parameters[0].Value = workerId;
            start.Parameters[1].Value = s.Now();
            start.Parameters[2].Value = trialId;
            if (start.ExecuteScalar() is long started) return ((int?)started, (string?)null);
            var current = s.Statement("SELECT status FROM trials WHERE id = $id", "$id");
            current.Parameters[0].Value = trialId;
            return (null, current.ExecuteScalar() as string);
        }, cancellationToken).ConfigureAwait(false);
        if (attempt is { } a) return a;
        if (status is null) throw new KeyNotFoundException($"trial {trialId} does not exist");
        throw new InvalidOperationException($"trial {trialId} is {status}; only a pending trial can be started");
    }

    /// <summary>
    /// Atomically takes the next pending trial of the experiment (highest priority, then lowest sequence number) and
    /// starts it for <paramref name="workerId"/>; null when none is pending. Workers racing for trials never get the
    /// same one.
    /// </summary>
    public Task<Trial?> ClaimNextTrialAsync(Guid experimentId, string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return Write(s =>
        {
            var claim = s.Statement(
                $"UPDATE trials SET {StartSet} WHERE id = (SELECT id FROM trials WHERE experiment_id = $e AND status = 'pending' " +
                $"ORDER BY priority DESC, seq LIMIT 1) RETURNING {TrialColumns}",
                "$worker", "$now", "$e");
            claim.Parameters[0].Value = workerId;
            claim.Parameters[1].Value = s.Now();
            claim.Parameters[2].Value = s.ExperimentKey(experimentId);
            using var reader = claim.ExecuteReader();
            return reader.Read() ? ReadTrial(reader, experimentId) : null;
        }, cancellationToken);
    }

    /// <summary>
    /// Records a trial's result, exactly once: only a <see cref="TrialStatus.Running"/> trial at exactly
    /// <paramref name="attempt"/> is completed. Returns whether this call won; a duplicate completion, one from a stale
    /// attempt (the trial was recovered and restarted), or one for a cancelled or unknown trial returns false and
    /// changes nothing. Artifacts are recorded only with the winning completion.
    /// </summary>
    public Task<bool> CompleteTrialAsync(long trialId, int attempt, IReadOnlyDictionary<string, double> metrics,
        IReadOnlyList<ArtifactInfo>? artifacts = null, CancellationToken cancellationToken = default)
    {
        var json = JsonText.Metrics(metrics, $"trial {trialId}: metrics");
        ValidateArtifacts(trialId, artifacts);
        return Write(s => Complete(s, trialId, attempt, json, artifacts), cancellationToken);
    }

    /// <summary>
    /// Marks a running trial at <paramref name="attempt"/> as failed; same exactly-once rule as
    /// <see cref="CompleteTrialAsync"/> (returns whether this call won).
    /// </summary>
    public Task<bool> FailTrialAsync(long trialId, int attempt, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return Write(s => Fail(s, trialId, attempt, error), cancellationToken);
    }

    private static bool Fail(WriterSession s, long trialId, int attempt, string error, IReadOnlyList<ArtifactInfo>? artifacts = null)
    {
        var now = s.Now();
        var fail = s.Statement(
            "UPDATE trials SET status = 'failed', error = $error, ended_ms = $now, duration_ms = $now - started_ms " +
            "WHERE id = $id AND status = 'running' AND attempt = $attempt",
            "$error", "$now", "$id", "$attempt");
        fail.Parameters[0].Value = error;
        fail.Parameters[1].Value = now;
        fail.Parameters[2].Value = trialId;
        fail.Parameters[3].Value = attempt;
        if (fail.ExecuteNonQuery() != 1) return false;
        InsertArtifacts(s, trialId, artifacts, now);
        return true;
    }

    /// <summary>
    /// Puts a running trial at <paramref name="attempt"/> back to pending so it runs again (a retry after its worker
    /// died or it timed out), recording why the attempt was lost. Same exactly-once rule as <see cref="CompleteTrialAsync"/>.
    /// </summary>
    public Task<bool> RequeueTrialAsync(long trialId, int attempt, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return Write(s =>
        {
            var requeue = s.Statement(
                "UPDATE trials SET status = 'pending', error = $error, worker = NULL, started_ms = NULL " +
                "WHERE id = $id AND status = 'running' AND attempt = $attempt",
                "$error", "$id", "$attempt");
            requeue.Parameters[0].Value = error;
            requeue.Parameters[1].Value = trialId;
            requeue.Parameters[2].Value = attempt;
            return requeue.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <summary>
    /// Cancels a pending or running trial (a running worker's later completion is then refused). Returns false when
    /// the trial had already finished or does not exist.
    /// </summary>
    public Task<bool> CancelTrialAsync(long trialId, CancellationToken cancellationToken = default) =>
        Write(s =>
        {
            var now = s.Now();
            var cancel = s.Statement(
                "UPDATE trials SET status = 'cancelled', ended_ms = $now, duration_ms = $now - started_ms " +
                "WHERE id = $id AND status IN ('pending', 'running')",
                "$now", "$id");
            cancel.Parameters[0].Value = now;
            cancel.Parameters[1].Value = trialId;
            return cancel.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>
    /// Cancels every pending and running trial of an experiment (the experiment itself was cancelled); returns how many.
    /// A running worker's later completion is then refused.
    /// </summary>
    public Task<int> CancelOpenTrialsAsync(Guid experimentId, CancellationToken cancellationToken = default) =>
        Write(s =>
        {
            var cancel = s.Statement(
                "UPDATE trials SET status = 'cancelled', ended_ms = $now, duration_ms = $now - started_ms " +
                "WHERE experiment_id = $e AND status IN ('pending', 'running')",
                "$now", "$e");
            cancel.Parameters[0].Value = s.Now();
            cancel.Parameters[1].Value = s.ExperimentKey(experimentId);
            return cancel.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>
    /// After a crash: puts every running trial (of one experiment, or of all) back to pending so it is re-run. The
    /// attempt number is kept, so the next start gets a new one and a late completion from the lost attempt is refused.
    /// Returns how many trials were recovered.
    /// </summary>
    public Task<int> RecoverInFlightAsync(Guid? experimentId = null, CancellationToken cancellationToken = default) =>
        Write(s =>
        {
            const string Set = "UPDATE trials SET status = 'pending', worker = NULL, started_ms = NULL WHERE status = 'running'";
            if (experimentId is not { } id) return s.Statement(Set).ExecuteNonQuery();
            var recover = s.Statement(Set + " AND experiment_id = $e", "$e");
            recover.Parameters[0].Value = s.ExperimentKey(id);
            return recover.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>The conditional update at the heart of exactly-once completion; also used by the checkpoint variant.</summary>
    private static bool Complete(WriterSession s, long trialId, int attempt, string metricsJson, IReadOnlyList<ArtifactInfo>? artifacts)
    {
        var now = s.Now();
        var complete = s.Statement(
            "UPDATE trials SET status = 'completed', metrics = $metrics, error = NULL, ended_ms = $now, duration_ms = $now - started_ms " +
            "WHERE id = $id AND status = 'running' AND attempt = $attempt",
            "$metrics", "$now", "$id", "$attempt");
        complete.Parameters[0].Value = metricsJson;
        complete.Parameters[1].Value = now;
        complete.Parameters[2].Value = trialId;
        complete.Parameters[3].Value = attempt;
        if (complete.ExecuteNonQuery() != 1) return false;
        InsertArtifacts(s, trialId, artifacts, now);
        return true;
    }

    private static void InsertArtifacts(WriterSession s, long trialId, IReadOnlyList<ArtifactInfo>? artifacts, long now)
    {
        if (artifacts is null) return;
        var insert = s.Statement(
            "INSERT INTO artifacts (trial_id, kind, path, bytes, sha256, created_ms) VALUES ($t, $kind, $path, $bytes, $sha, $now)",
            "$t", "$kind", "$path", "$bytes", "$sha", "$now");
        foreach (var artifact in artifacts)
        {
            insert.Parameters[0].Value = trialId;
            insert.Parameters[1].Value = artifact.Kind;
            insert.Parameters[2].Value = artifact.Path;
            insert.Parameters[3].Value = artifact.Bytes;
            insert.Parameters[4].Value = artifact.Sha256;
            insert.Parameters[5].Value = now;
            insert.ExecuteNonQuery();
        }
    }

    private static void ValidateArtifacts(long trialId, IReadOnlyList<ArtifactInfo>? artifacts)
    {
        if (artifacts is null) return;
        for (var i = 0; i < artifacts.Count; i++)
            (artifacts[i] ?? throw new ArgumentException($"trial {trialId}: artifact {i} is null")).Validate($"trial {trialId}, artifact {i}");
    }
}
