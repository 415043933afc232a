using System.Globalization;
using AutoCompress.Storage.Internal;
using AutoCompress.Storage.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Storage;

/// <summary>
/// Durable storage for searches: experiments, their trials, strategy checkpoints and trial artifacts, in one SQLite
/// file. A search service must survive <c>kill -9</c>: after a restart every completed trial is there exactly once,
/// in-flight trials are re-run (<see cref="RecoverInFlightAsync"/>), and the strategy resumes from a checkpoint that is
/// consistent with the completed trials (<see cref="CompleteTrialsAndCheckpointAsync"/>).
/// <para>
/// How: WAL journal; one writer connection fed by a queue that commits whatever operations are waiting in a single
/// transaction (group commit) and acknowledges each caller only after that commit; prepared statements reused for
/// every operation; readers on their own connections. Exactly-once completion is a conditional update
/// (<c>status = 'running' AND attempt = @attempt</c>) decided by the single writer, so concurrent duplicate
/// completions and completions from a stale attempt are refused without changing anything.
/// </para>
/// <para>
/// Durability: with the default <see cref="StoreDurability.Normal"/> (<c>synchronous=NORMAL</c>) an acknowledged commit
/// survives any process crash including kill -9, but a power loss or OS crash may lose the last commits (never
/// consistency). <see cref="StoreDurability.Full"/> fsyncs every commit and survives power loss too.
/// </para>
/// <para>
/// Cancellation: a write's token cancels it only while it is still queued; once the writer has taken it, it runs and
/// its task reports the committed outcome, so a caller never has to guess whether a cancelled completion happened.
/// Errors: invalid arguments throw <see cref="ArgumentException"/> before anything is queued; unknown experiments
/// <see cref="KeyNotFoundException"/>; a failing write is rolled back on its own, the writes batched with it commit.
/// </para>
/// </summary>
public sealed partial class ExperimentStore : IAsyncDisposable
{
    /// <summary>The schema version this build writes (the number of migrations).</summary>
    public static int SchemaVersion => Migrations.Latest;

    private static readonly Version MinimumSqlite = new(3, 37, 0); // STRICT tables (3.37), RETURNING (3.35)

    private readonly GroupCommitWriter writer;
    private readonly ReaderPool readers;
    private readonly WriterSession session;
    private readonly ExperimentStoreOptions options;
    private int disposed;

    private ExperimentStore(string path, ExperimentStoreOptions options, WriterSession session, ILogger logger)
    {
        Path = path;
        this.options = options;
        this.session = session;
        writer = new GroupCommitWriter(session, options.MaxBatchOperations, logger, path);
        readers = new ReaderPool(() => OpenReader(path, options), options.ReaderConnections);
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Operations and transactions the writer has committed since opening.</summary>
    public WriteStatistics Statistics
    {
        get
        {
            var (operations, transactions, busy) = writer.Counters;
            return new WriteStatistics(operations, transactions, busy);
        }
    }

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date in one
    /// transaction. Throws <see cref="StoreException"/> naming the file when it is not a SQLite database, is corrupt or
    /// cannot be opened, and <see cref="SchemaVersionException"/> when it was written by a newer build.
    /// </summary>
    public static Task<ExperimentStore> OpenAsync(string path, ExperimentStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ExperimentStoreOptions();
        options.Validate();
        return Task.Run(() => Open(System.IO.Path.GetFullPath(path), options), cancellationToken);
    }

    private static ExperimentStore Open(string path, ExperimentStoreOptions options)
    {
        if (Directory.Exists(path)) throw new StoreException($"experiment store '{path}' is a directory, not a database file");
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var logger = options.LoggerFactory.CreateLogger("AutoCompress.Storage");
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate, options));
        try
        {
            connection.Open();
            var version = Version.Parse(connection.ServerVersion);
            if (version < MinimumSqlite) throw new StoreException($"experiment store '{path}': SQLite {version} is too old, {MinimumSqlite} or newer is needed");
            Pragma(connection, $"busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
            var journal = Pragma(connection, "journal_mode = WAL");
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
                throw new StoreException($"experiment store '{path}': could not switch to the WAL journal (SQLite kept '{journal}'); is the file on a file system without shared memory support?");
            Pragma(connection, options.Durability == StoreDurability.Full ? "synchronous = FULL" : "synchronous = NORMAL");
            Pragma(connection, "foreign_keys = ON");
            Pragma(connection, $"cache_size = -{options.CacheSizeKiB}");
            Pragma(connection, "temp_store = MEMORY");
            Pragma(connection, "journal_size_limit = 67108864"); // truncate the WAL back to 64 MiB after checkpoints
            var before = Migrations.Apply(connection, path, applied: m => LogMigrated(logger, path, m.Version, m.Name));
            LogOpened(logger, path, before, Migrations.Latest, options.Durability);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StoreException($"cannot open experiment store '{path}': {Describe(e)}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new ExperimentStore(path, options, new WriterSession(connection, options.TimeProvider, options.CheckpointsToKeep), logger);
    }

    private static string Describe(SqliteException e) => e.SqliteErrorCode switch
    {
        26 => "the file is not a SQLite database (SQLITE_NOTADB)",
        11 => $"the database file is corrupt (SQLITE_CORRUPT): {e.Message}",
        _ => e.Message,
    };

    private static string ConnectionString(string path, SqliteOpenMode mode, ExperimentStoreOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false, // the store owns its connections; closing it must release the file
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
    }.ToString();

    private static SqliteConnection OpenReader(string path, ExperimentStoreOptions options)
    {
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWrite, options));
        try
        {
            connection.Open();
            Pragma(connection, $"busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
            Pragma(connection, $"cache_size = -{Math.Max(64, options.CacheSizeKiB / 4)}");
            Pragma(connection, "temp_store = MEMORY");
            Pragma(connection, "query_only = ON");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StoreException($"cannot open a read connection to experiment store '{path}': {Describe(e)}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string? Pragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs SQLite's <c>integrity_check</c> and <c>foreign_key_check</c> on the last committed state. Returns the
    /// problems found; empty means consistent. Reads the whole file, so it is for recovery checks and tests.
    /// </summary>
    public Task<IReadOnlyList<string>> CheckIntegrityAsync(CancellationToken cancellationToken = default) =>
        readers.ReadAsync<IReadOnlyList<string>>(connection =>
        {
            var problems = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA integrity_check";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var line = reader.GetString(0);
                    if (line != "ok") problems.Add("integrity_check: " + line);
                }
            }
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA foreign_key_check";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    problems.Add($"foreign_key_check: {reader.GetString(0)} row {reader.GetValue(1)} references missing {reader.GetString(2)}");
            }
            return problems;
        }, cancellationToken);

    /// <summary>Lets every queued write commit, then closes all connections (the WAL is checkpointed into the file).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await writer.DisposeAsync().ConfigureAwait(false);
        await readers.DisposeAsync().ConfigureAwait(false);
        session.Dispose(); // last connection: SQLite checkpoints the WAL into the database file and removes it
    }

    private Task<T> Write<T>(Func<WriterSession, T> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return writer.Enqueue(body, cancellationToken);
    }

    private Task<T> Read<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return readers.ReadAsync(read, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment store {Path}: applied schema migration {Version} ({Name})")]
    private static partial void LogMigrated(ILogger logger, string path, int version, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Experiment store {Path} opened (schema {Before} -> {After}, durability {Durability})")]
    private static partial void LogOpened(ILogger logger, string path, int before, int after, StoreDurability durability);
}
