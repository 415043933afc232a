using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class GroupCommitTests
{
    [Fact]
    public async Task Concurrent_writes_share_commits_and_a_failing_one_fails_alone_without_leaving_rows()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var a = await store.CreateExperimentAsync("a", "{}");
        var b = await store.CreateExperimentAsync("b", "{}");
        var bTrial = (await store.AddTrialsAsync(b.Id, [new NewTrial("{}")]))[0];
        var before = store.Statistics;

        // Another connection holds the write lock, so the store's writer waits (busy timeout) while 400 single-trial
        // adds queue up behind it; two bad ones sit in the middle: their first trials are valid and are inserted
        // before the bad parent is found, so only a rollback keeps them out.
        using var blocker = Raw(fixture.DbPath);
        Exec(blocker, "BEGIN IMMEDIATE");
        var tasks = new List<Task<IReadOnlyList<long>>>();
        for (var i = 0; i < 400; i++)
        {
            if (i == 150) tasks.Add(store.AddTrialsAsync(a.Id, [new NewTrial("{}"), new NewTrial("{}", ParentId: bTrial)]));
            else if (i == 151) tasks.Add(store.AddTrialsAsync(a.Id, [new NewTrial("{}"), new NewTrial("{}", ParentId: 987654)]));
            else tasks.Add(store.AddTrialsAsync(a.Id, [new NewTrial($$"""{"i":{{i}}}""")]));
        }
        await Task.Delay(200);
        Assert.DoesNotContain(tasks, t => t.IsCompleted);
        Exec(blocker, "COMMIT");
        var otherExperiment = await Assert.ThrowsAsync<ArgumentException>(() => tasks[150]);
        Assert.Contains($"parent trial {bTrial} belongs to another experiment", otherExperiment.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => tasks[151]);
        Assert.Contains("parent trial 987654 does not exist", missing.Message, StringComparison.Ordinal);
        var good = await Task.WhenAll(tasks.Where((_, i) => i is not (150 or 151)));

        Assert.Equal(398L, await store.CountTrialsAsync(a.Id));
        var seqs = (await store.QueryTrialsAsync(a.Id, new TrialQuery { Limit = 1000 })).Select(t => t.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, 398).Select(i => (long)i), seqs); // no gaps left by the rolled-back adds
        Assert.Equal(398, good.SelectMany(x => x).Distinct().Count());

        var after = store.Statistics;
        var operations = after.Operations - before.Operations;
        var transactions = after.Transactions - before.Transactions;
        Assert.Equal(398, operations);
        // At most: the batch the writer had taken when it blocked, the rest in one batch, the two failures split that
        // batch into three committed runs.
        Assert.True(transactions <= 5, $"expected group commit to batch: {operations} operations in {transactions} transactions");
        Assert.Empty(await store.CheckIntegrityAsync());
    }

    [Fact]
    public async Task With_batching_off_every_operation_gets_its_own_transaction()
    {
        await using var fixture = await StoreFixture.CreateAsync(new ExperimentStoreOptions { MaxBatchOperations = 1, Durability = StoreDurability.Full });
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("solo", "{}");
        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => store.AddTrialsAsync(e.Id, [new NewTrial("{}")])));
        Assert.Equal(50, ids.Length);
        Assert.Equal(1.0, store.Statistics.OperationsPerTransaction);
        Assert.Equal(51, store.Statistics.Transactions);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_runs_writes_nothing()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("c", "{}");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AddTrialsAsync(e.Id, [new NewTrial("{}")], cancelled.Token));
        Assert.Equal(0L, await store.CountTrialsAsync(e.Id));
    }

    [Fact]
    public async Task Queued_writes_commit_before_dispose_returns_and_later_calls_are_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.db");
        var store = await ExperimentStore.OpenAsync(path);
        var e = await store.CreateExperimentAsync("d", "{}");
        var pending = Enumerable.Range(0, 100).Select(_ => store.AddTrialsAsync(e.Id, [new NewTrial("{}")])).ToList();
        await store.DisposeAsync();
        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AddTrialsAsync(e.Id, [new NewTrial("{}")]));
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "the WAL should be checkpointed on close");
        await using var reopened = await ExperimentStore.OpenAsync(path);
        Assert.Equal(100L, await reopened.CountTrialsAsync(e.Id));
    }
}
