using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage.Tests.Support;

/// <summary>A store in a temp directory, plus helpers shared by the tests.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly TempDirectory directory;

    private StoreFixture(TempDirectory directory, ExperimentStore store)
    {
        this.directory = directory;
        Store = store;
    }

    public ExperimentStore Store { get; private set; }

    public string DbPath => Store.Path;

    public static async Task<StoreFixture> CreateAsync(ExperimentStoreOptions? options = null)
    {
        var dir = new TempDirectory();
        return new StoreFixture(dir, await ExperimentStore.OpenAsync(dir.File("store.db"), options));
    }

    /// <summary>Closes and reopens the store (what a restarted service does).</summary>
    public async Task ReopenAsync(ExperimentStoreOptions? options = null)
    {
        var path = Store.Path;
        await Store.DisposeAsync();
        Store = await ExperimentStore.OpenAsync(path, options);
    }

    /// <summary>A separate raw connection, for checking what is really in the file.</summary>
    public static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static ArtifactInfo Artifact(string name) =>
        new("weights", "/artifacts/" + name, name.Length, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))));

    public static Dictionary<string, double> Metrics(double accuracy) => new() { ["accuracy"] = accuracy, ["macs"] = 1000 };

    public async Task<(long Id, int Attempt)> AddAndStartAsync(Guid experiment, string worker = "w", string config = """{"x":1}""")
    {
        var ids = await Store.AddTrialsAsync(experiment, [new NewTrial(config)]);
        return (ids[0], await Store.StartTrialAsync(ids[0], worker));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        directory.Dispose();
    }
}
