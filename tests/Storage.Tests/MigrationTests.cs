using AutoCompress.Storage.Schema;
using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class MigrationTests
{
    [Fact]
    public void Migrations_are_numbered_1_to_latest_in_order()
    {
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Version));
        Assert.Equal(Migrations.All.Count, ExperimentStore.SchemaVersion);
        Assert.True(ExperimentStore.SchemaVersion >= 2);
        Assert.All(Migrations.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Name)));
    }

    [Fact]
    public async Task New_store_is_at_the_latest_version_in_wal_mode_with_foreign_keys_enforced()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        using var raw = Raw(fixture.DbPath);
        Assert.Equal((long)ExperimentStore.SchemaVersion, Scalar(raw, "PRAGMA user_version"));
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode"));
        // The store's writer enforces foreign keys: a trial for a missing experiment is refused by SQLite itself.
        var e = await fixture.Store.CreateExperimentAsync("e", "{}");
        Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM experiments"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Store.AddTrialsAsync(Guid.NewGuid(), [new NewTrial("{}")]));
        Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM trials"));
        Assert.Equal(e.Id, (await fixture.Store.GetExperimentAsync(e.Id))!.Id);
    }

    [Fact]
    public async Task A_version_1_file_is_upgraded_at_open_and_keeps_its_data()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v1.db");
        var uuid = Guid.NewGuid();
        using (var raw = Raw(path))
        {
            Exec(raw, "PRAGMA journal_mode = WAL");
            Assert.Equal(0, Migrations.Apply(raw, path, target: 1));
            Assert.Equal(1L, Scalar(raw, "PRAGMA user_version"));
            Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'artifacts'"));
            Exec(raw, $$"""
                INSERT INTO experiments (uuid, name, spec, status, created_ms, updated_ms) VALUES ('{{uuid:D}}', 'old', '{"a":1}', 'running', 1000, 1000);
                INSERT INTO trials (experiment_id, seq, config, fidelity, status, attempt, metrics, created_ms, started_ms, ended_ms, duration_ms)
                    VALUES (1, 1, '{"lr":0.1}', 3, 'completed', 1, '{"accuracy":0.8}', 1000, 1100, 1600, 500);
                INSERT INTO trials (experiment_id, seq, config, fidelity, status, attempt, worker, created_ms, started_ms)
                    VALUES (1, 2, '{"lr":0.2}', 3, 'running', 1, 'w1', 1000, 1200);
                """);
        }

        await using (var store = await ExperimentStore.OpenAsync(path))
        {
            var old = await store.GetExperimentAsync(uuid);
            Assert.NotNull(old);
            Assert.Equal(ExperimentStatus.Running, old.Status);
            var trials = await store.QueryTrialsAsync(uuid);
            Assert.Equal([1L, 2L], trials.Select(t => t.Seq));
            Assert.Equal(0.8, trials[0].Metrics!["accuracy"]);
            Assert.All(trials, t => Assert.Equal(0, t.Priority));
            Assert.All(trials, t => Assert.Null(t.ParentId));
            // Version 2 features work on the upgraded data: recovery, lineage, priorities, artifacts.
            Assert.Equal(1, await store.RecoverInFlightAsync(uuid));
            var promoted = await store.AddTrialsAsync(uuid, [new NewTrial("""{"lr":0.1}""", 9, ParentId: trials[0].Id, Priority: 5)]);
            var claimed = await store.ClaimNextTrialAsync(uuid, "w2");
            Assert.Equal(promoted[0], claimed!.Id);
            Assert.True(await store.CompleteTrialAsync(claimed.Id, claimed.Attempt, Metrics(0.9), [Artifact("p")]));
            Assert.Single(await store.GetArtifactsAsync(claimed.Id));
            Assert.Equal(trials[0].Id, (await store.GetTrialAsync(claimed.Id))!.ParentId);
        }

        using (var raw = Raw(path))
            Assert.Equal((long)ExperimentStore.SchemaVersion, Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_entirely()
    {
        using var dir = new TempDirectory();
        var path = dir.File("conflict.db");
        using (var raw = Raw(path))
        {
            Migrations.Apply(raw, path, target: 1);
            // A foreign object with the name migration 2 creates makes migration 2 fail halfway (after its ALTER TABLEs).
            Exec(raw, "CREATE TABLE artifacts (x INTEGER)");
        }
        var error = await Assert.ThrowsAsync<StoreException>(() => ExperimentStore.OpenAsync(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("artifacts", error.Message, StringComparison.Ordinal);
        using (var raw = Raw(path))
        {
            Assert.Equal(1L, Scalar(raw, "PRAGMA user_version"));
            Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM pragma_table_info('trials') WHERE name IN ('parent_id', 'priority')"));
            Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_trials_queue'"));
        }
    }

    [Fact]
    public async Task A_database_newer_than_the_code_is_refused_naming_both_versions()
    {
        using var dir = new TempDirectory();
        var path = dir.File("future.db");
        await (await ExperimentStore.OpenAsync(path)).DisposeAsync();
        var future = ExperimentStore.SchemaVersion + 7;
        using (var raw = Raw(path)) Exec(raw, $"PRAGMA user_version = {future}");

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => ExperimentStore.OpenAsync(path));
        Assert.Equal(future, error.DatabaseVersion);
        Assert.Equal(ExperimentStore.SchemaVersion, error.SupportedVersion);
        Assert.Contains($"schema version {future}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {ExperimentStore.SchemaVersion}", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        using (var raw = Raw(path)) Assert.Equal((long)future, Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_fails_naming_the_path_and_is_left_untouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("garbage.db");
        var bytes = new byte[8192];
        new Random(5).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<StoreException>(() => ExperimentStore.OpenAsync(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_directory_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        var error = await Assert.ThrowsAsync<StoreException>(() => ExperimentStore.OpenAsync(dir.Path));
        Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_are_refused()
    {
        using var dir = new TempDirectory();
        await Assert.ThrowsAsync<ArgumentException>(() => ExperimentStore.OpenAsync(dir.File("a.db"), new ExperimentStoreOptions { MaxBatchOperations = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => ExperimentStore.OpenAsync(dir.File("a.db"), new ExperimentStoreOptions { CheckpointsToKeep = 0 }));
        Assert.False(File.Exists(dir.File("a.db")));
    }
}
