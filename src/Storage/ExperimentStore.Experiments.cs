using AutoCompress.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage;

// Experiments: create, read, list, status, delete (cascading to trials, checkpoints and artifact rows).
public sealed partial class ExperimentStore
{
    private const string ExperimentColumns = "uuid, name, spec, status, created_ms, updated_ms, error";

    /// <summary>Creates an experiment in status <see cref="ExperimentStatus.Created"/>.</summary>
    public Task<Experiment> CreateExperimentAsync(string name, string specJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        JsonText.Validate(specJson, "experiment spec");
        var id = Guid.CreateVersion7(); // time-ordered: new experiments append to the uuid index
        return Write(s =>
        {
            var now = s.Now();
            var command = s.Statement(
                "INSERT INTO experiments (uuid, name, spec, status, created_ms, updated_ms) VALUES ($uuid, $name, $spec, 'created', $now, $now) RETURNING id",
                "$uuid", "$name", "$spec", "$now");
            command.Parameters[0].Value = WriterSession.Uuid(id);
            command.Parameters[1].Value = name;
            command.Parameters[2].Value = specJson;
            command.Parameters[3].Value = now;
            s.RememberExperiment(id, (long)command.ExecuteScalar()!);
            return new Experiment(id, name, specJson, ExperimentStatus.Created, UnixTime.From(now), UnixTime.From(now), null);
        }, cancellationToken);
    }

    /// <summary>The experiment, or null when there is none with this id.</summary>
    public Task<Experiment?> GetExperimentAsync(Guid experimentId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {ExperimentColumns} FROM experiments WHERE uuid = $uuid";
            command.Parameters.AddWithValue("$uuid", WriterSession.Uuid(experimentId));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadExperiment(reader) : null;
        }, cancellationToken);

    /// <summary>All experiments (optionally only those in one status), oldest first.</summary>
    public Task<IReadOnlyList<Experiment>> ListExperimentsAsync(ExperimentStatus? status = null, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<Experiment>>(connection =>
        {
            using var command = connection.CreateCommand();
            if (status is { } wanted)
            {
                command.CommandText = $"SELECT {ExperimentColumns} FROM experiments WHERE status = $status ORDER BY created_ms, id";
                command.Parameters.AddWithValue("$status", Names.Of(wanted));
            }
            else
            {
                command.CommandText = $"SELECT {ExperimentColumns} FROM experiments ORDER BY created_ms, id";
            }
            using var reader = command.ExecuteReader();
            var list = new List<Experiment>();
            while (reader.Read()) list.Add(ReadExperiment(reader));
            return list;
        }, cancellationToken);

    /// <summary>
    /// Sets the status (and the error, which is cleared when <paramref name="error"/> is null). Throws
    /// <see cref="KeyNotFoundException"/> when the experiment does not exist.
    /// </summary>
    public async Task SetExperimentStatusAsync(Guid experimentId, ExperimentStatus status, string? error = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(status)) throw new ArgumentOutOfRangeException(nameof(status), status, "unknown experiment status");
        var changed = await Write(s =>
        {
            var command = s.Statement("UPDATE experiments SET status = $status, error = $error, updated_ms = $now WHERE uuid = $uuid",
                "$status", "$error", "$now", "$uuid");
            command.Parameters[0].Value = Names.Of(status);
            command.Parameters[1].Value = WriterSession.Db(error);
            command.Parameters[2].Value = s.Now();
            command.Parameters[3].Value = WriterSession.Uuid(experimentId);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        if (changed == 0) throw new KeyNotFoundException($"experiment {experimentId} does not exist");
    }

    /// <summary>
    /// Deletes the experiment with its trials, checkpoints and artifact rows in one transaction, and returns the paths
    /// of the artifact files so the caller can delete them (the store never touches files). Throws
    /// <see cref="KeyNotFoundException"/> when the experiment does not exist.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteExperimentAsync(Guid experimentId, CancellationToken cancellationToken = default)
    {
        var paths = await Write<List<string>?>(s =>
        {
            var lookup = s.Statement("SELECT id FROM experiments WHERE uuid = $uuid", "$uuid");
            lookup.Parameters[0].Value = WriterSession.Uuid(experimentId);
            if (lookup.ExecuteScalar() is not long key) return null;
            var select = s.Statement(
                "SELECT a.path FROM trials t JOIN artifacts a ON a.trial_id = t.id WHERE t.experiment_id = $e ORDER BY a.id", "$e");
            select.Parameters[0].Value = key;
            var found = new List<string>();
            using (var reader = select.ExecuteReader())
                while (reader.Read()) found.Add(reader.GetString(0));
            var delete = s.Statement("DELETE FROM experiments WHERE id = $e", "$e");
            delete.Parameters[0].Value = key;
            delete.ExecuteNonQuery();
            s.ForgetExperiment(experimentId);
            return found;
        }, cancellationToken).ConfigureAwait(false);
        return paths ?? throw new KeyNotFoundException($"experiment {experimentId} does not exist");
    }

    private static Experiment ReadExperiment(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        Names.ParseExperiment(reader.GetString(3)),
        UnixTime.From(reader.GetInt64(4)),
        UnixTime.From(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6));

    /// <summary>The integer key of an experiment on a read connection, or a <see cref="KeyNotFoundException"/> naming it.</summary>
    private static long ExperimentKey(SqliteConnection connection, Guid experimentId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM experiments WHERE uuid = $uuid";
        command.Parameters.AddWithValue("$uuid", WriterSession.Uuid(experimentId));
        return command.ExecuteScalar() is long key ? key : throw new KeyNotFoundException($"experiment {experimentId} does not exist");
    }
}
