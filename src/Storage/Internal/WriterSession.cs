using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage.Internal;

/// <summary>
/// The single write connection and what the write loop keeps with it: statements prepared once and reused for every
/// operation (re-parsing SQL per trial would cost more than the insert), and the mapping from experiment UUIDs to
/// their integer keys. Used only by the write loop's thread of execution, one batch at a time.
/// </summary>
internal sealed class WriterSession(SqliteConnection connection, TimeProvider clock, int checkpointsToKeep) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, long> experimentKeys = [];

    public SqliteConnection Connection { get; } = connection;

    public int CheckpointsToKeep { get; } = checkpointsToKeep;

    public long Now() => UnixTime.Now(clock);

    /// <summary>The cached, prepared command for <paramref name="sql"/>, with its parameters in the given order.</summary>
    public SqliteCommand Statement(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (statements.TryGetValue(sql, out var command)) return command;
        command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames) command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        command.Prepare();
        statements.Add(sql, command);
        return command;
    }

    public static object Db(object? value) => value ?? DBNull.Value;

    public void Begin() => Statement("BEGIN IMMEDIATE").ExecuteNonQuery();

    public void Commit() => Statement("COMMIT").ExecuteNonQuery();

    /// <summary>Rolls back if a transaction is still open (SQLite may already have rolled back after an I/O error).</summary>
    public void Rollback()
    {
        experimentKeys.Clear(); // keys looked up or created inside the rolled-back transaction may not exist
        if (!Schema.Migrations.IsAutocommit(Connection)) Statement("ROLLBACK").ExecuteNonQuery();
    }

    /// <summary>The integer key of an experiment; throws <see cref="KeyNotFoundException"/> naming it when there is none.</summary>
    public long ExperimentKey(Guid experimentId)
    {
        if (experimentKeys.TryGetValue(experimentId, out var key)) return key;
        var command = Statement("SELECT id FROM experiments WHERE uuid = $uuid", "$uuid");
        command.Parameters[0].Value = Uuid(experimentId);
        key = command.ExecuteScalar() is long found ? found : throw new KeyNotFoundException($"experiment {experimentId} does not exist");
        experimentKeys[experimentId] = key;
        return key;
    }

    public void RememberExperiment(Guid experimentId, long key) => experimentKeys[experimentId] = key;

    public void ForgetExperiment(Guid experimentId) => experimentKeys.Remove(experimentId);

    public static string Uuid(Guid id) => id.ToString("D");

    public void Dispose()
    {
        foreach (var command in statements.Values) command.Dispose();
        statements.Clear();
        Connection.Dispose();
    }
}
