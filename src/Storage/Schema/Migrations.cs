using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage.Schema;

/// <summary>
/// The ordered schema history. The database's <c>PRAGMA user_version</c> is the number of migrations applied; opening
/// applies the missing ones in one transaction (all or none), and refuses a database newer than the last migration.
/// Migrations are append-only: a released one is never edited, a change is a new one.
/// </summary>
internal static class Migrations
{
    private const string Statuses = "'pending','running','completed','failed','cancelled'";

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "experiments, trials, checkpoints", $"""
            CREATE TABLE experiments (
                id          INTEGER PRIMARY KEY,
                uuid        TEXT    NOT NULL UNIQUE CHECK (length(uuid) = 36),
                name        TEXT    NOT NULL,
                spec        TEXT    NOT NULL CHECK (json_valid(spec)),
                status      TEXT    NOT NULL CHECK (status IN ('created','running','paused','completed','failed','cancelled')),
                error       TEXT,
                created_ms  INTEGER NOT NULL,
                updated_ms  INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX ix_experiments_status ON experiments (status, created_ms);

            CREATE TABLE trials (
                id            INTEGER PRIMARY KEY,
                experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                seq           INTEGER NOT NULL CHECK (seq >= 1),
                config        TEXT    NOT NULL CHECK (json_valid(config)),
                fidelity      REAL    NOT NULL CHECK (fidelity > 0),
                status        TEXT    NOT NULL CHECK (status IN ({Statuses})),
                attempt       INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
                worker        TEXT,
                metrics       TEXT    CHECK (metrics IS NULL OR json_valid(metrics)),
                error         TEXT,
                created_ms    INTEGER NOT NULL,
                started_ms    INTEGER,
                ended_ms      INTEGER,
                duration_ms   INTEGER,
                UNIQUE (experiment_id, seq)
            ) STRICT;
            -- paging and counting by status, in sequence order
            CREATE INDEX ix_trials_status ON trials (experiment_id, status, seq);
            -- crash recovery finds in-flight trials without scanning finished ones
            CREATE INDEX ix_trials_running ON trials (experiment_id) WHERE status = 'running';

            CREATE TABLE checkpoints (
                experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                seq           INTEGER NOT NULL CHECK (seq >= 1),
                state         BLOB    NOT NULL,
                told_count    INTEGER NOT NULL CHECK (told_count >= 0),
                created_ms    INTEGER NOT NULL,
                PRIMARY KEY (experiment_id, seq)
            ) STRICT;
            """),
        new(2, "multi-fidelity lineage, claim priority, artifacts", """
            ALTER TABLE trials ADD COLUMN parent_id INTEGER REFERENCES trials (id) ON DELETE SET NULL;
            ALTER TABLE trials ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
            -- child lookup for the foreign key (deleting a trial) and for lineage queries
            CREATE INDEX ix_trials_parent ON trials (parent_id) WHERE parent_id IS NOT NULL;
            -- the claim queue: next pending trial by priority, then sequence
            CREATE INDEX ix_trials_queue ON trials (experiment_id, priority DESC, seq) WHERE status = 'pending';

            CREATE TABLE artifacts (
                id         INTEGER PRIMARY KEY,
                trial_id   INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
                kind       TEXT    NOT NULL,
                path       TEXT    NOT NULL,
                bytes      INTEGER NOT NULL CHECK (bytes >= 0),
                sha256     TEXT    NOT NULL CHECK (length(sha256) = 64),
                created_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX ix_artifacts_trial ON artifacts (trial_id);
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>
    /// Brings the database to <paramref name="target"/> (default: the latest) in one IMMEDIATE transaction. Returns the
    /// version found before.
    /// </summary>
    public static int Apply(SqliteConnection connection, string path, int? target = null, Action<Migration>? applied = null)
    {
        var to = target ?? Latest;
        if (to < 0 || to > Latest) throw new ArgumentOutOfRangeException(nameof(target), to, $"migration target must be 0..{Latest}");
        Exec(connection, "BEGIN IMMEDIATE");
        try
        {
            var from = UserVersion(connection);
            if (from > Latest) throw new SchemaVersionException(path, from, Latest);
            foreach (var migration in All.Where(m => m.Version > from && m.Version <= to))
            {
                ExecScript(connection, migration.Sql);
                Exec(connection, $"PRAGMA user_version = {migration.Version}");
                applied?.Invoke(migration);
            }
            Exec(connection, "COMMIT");
            return from;
        }
        catch
        {
            if (!IsAutocommit(connection)) Exec(connection, "ROLLBACK");
            throw;
        }
    }

    public static int UserVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static bool IsAutocommit(SqliteConnection connection) => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;

    /// <summary>
    /// Runs a multi-statement script with sqlite3_exec, which stops at and reports the first failing statement. (A
    /// multi-statement SqliteCommand is not used: an error in a later statement can go unreported, which would leave a
    /// migration half-applied under a new version number.)
    /// </summary>
    private static void ExecScript(SqliteConnection connection, string sql)
    {
        var rc = SQLitePCL.raw.sqlite3_exec(connection.Handle, sql, out var message);
        if (rc != SQLitePCL.raw.SQLITE_OK)
            throw new SqliteException($"SQLite Error {rc}: '{message ?? SQLitePCL.raw.sqlite3_errstr(rc).utf8_to_string()}'", rc);
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
