using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class QueryTests
{
    /// <summary>30 trials: seq 1..30; every third completed with accuracy seq/100 (seq 3, 6, ..., 30), every third + 1 failed, rest pending.</summary>
    private static async Task<Guid> SeedAsync(StoreFixture fixture)
    {
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("q", """{"space":"nb201"}""");
        var ids = await store.AddTrialsAsync(e.Id, Enumerable.Range(1, 30).Select(i => new NewTrial($$"""{"i":{{i}}}""", Fidelity: i % 4 + 1)).ToList());
        for (var i = 1; i <= 30; i++)
        {
            if (i % 3 == 2) continue;
            var attempt = await store.StartTrialAsync(ids[i - 1], "w");
            if (i % 3 == 0) Assert.True(await store.CompleteTrialAsync(ids[i - 1], attempt, new Dictionary<string, double> { ["accuracy"] = i / 100.0 }));
            else Assert.True(await store.FailTrialAsync(ids[i - 1], attempt, "boom"));
        }
        var noise = await store.CreateExperimentAsync("noise", "{}");
        await store.AddTrialsAsync(noise.Id, [new NewTrial("{}"), new NewTrial("{}")]);
        return e.Id;
    }

    [Fact]
    public async Task Pages_by_sequence_with_offset_or_keyset_and_filters_by_status()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await SeedAsync(fixture);

        var page2 = await store.QueryTrialsAsync(e, new TrialQuery { Offset = 10, Limit = 10 });
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), page2.Select(t => t.Seq));
        var keyset = await store.QueryTrialsAsync(e, new TrialQuery { AfterSeq = 10, Limit = 10 });
        Assert.Equal(page2.Select(t => t.Id), keyset.Select(t => t.Id));
        var backwards = await store.QueryTrialsAsync(e, new TrialQuery { Descending = true, AfterSeq = 28, Limit = 3 });
        Assert.Equal(new long[] { 27, 26, 25 }, backwards.Select(t => t.Seq));

        var completed = await store.QueryTrialsAsync(e, new TrialQuery { Statuses = [TrialStatus.Completed], Limit = 100 });
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)(3 * i)), completed.Select(t => t.Seq));
        Assert.All(completed, t => Assert.Equal(t.Seq / 100.0, t.Metrics!["accuracy"]));
        var finished = await store.QueryTrialsAsync(e, new TrialQuery { Statuses = [TrialStatus.Completed, TrialStatus.Failed], Offset = 15, Limit = 100 });
        Assert.Equal(5, finished.Count);
        Assert.True(finished.Zip(finished.Skip(1)).All(p => p.First.Seq < p.Second.Seq));

        Assert.Equal(30L, await store.CountTrialsAsync(e));
        Assert.Equal(10L, await store.CountTrialsAsync(e, [TrialStatus.Pending]));
        Assert.Equal(20L, await store.CountTrialsAsync(e, [TrialStatus.Completed, TrialStatus.Failed]));
        Assert.Equal(0L, await store.CountTrialsAsync(e, [TrialStatus.Running]));

        var first = page2[0];
        Assert.Equal((e, """{"i":11}""", 11 % 4 + 1.0, TrialStatus.Pending, 0), (first.ExperimentId, first.ConfigJson, first.Fidelity, first.Status, first.Attempt));
    }

    [Fact]
    public async Task Orders_by_a_metric_with_trials_lacking_it_last()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await SeedAsync(fixture);

        var best = await store.QueryTrialsAsync(e, new TrialQuery { OrderBy = TrialOrder.Metric, Metric = "accuracy", Descending = true, Limit = 3 });
        Assert.Equal(new long[] { 30, 27, 24 }, best.Select(t => t.Seq));
        var worstCompleted = await store.QueryTrialsAsync(e, new TrialQuery
        {
            OrderBy = TrialOrder.Metric, Metric = "accuracy", Statuses = [TrialStatus.Completed], Offset = 1, Limit = 2,
        });
        Assert.Equal(new long[] { 6, 9 }, worstCompleted.Select(t => t.Seq));
        var all = await store.QueryTrialsAsync(e, new TrialQuery { OrderBy = TrialOrder.Metric, Metric = "accuracy", Limit = 100 });
        Assert.Equal(30, all.Count);
        Assert.All(all.Skip(10), t => Assert.Null(t.Metrics));
    }

    [Fact]
    public async Task Bad_queries_are_refused_with_the_reason()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await SeedAsync(fixture);
        var limit = await Assert.ThrowsAsync<ArgumentException>(() => store.QueryTrialsAsync(e, new TrialQuery { Limit = 0 }));
        Assert.Contains("limit", limit.Message, StringComparison.Ordinal);
        var metric = await Assert.ThrowsAsync<ArgumentException>(() => store.QueryTrialsAsync(e, new TrialQuery { OrderBy = TrialOrder.Metric, Metric = "acc'; DROP TABLE trials; --" }));
        Assert.Contains("metric name", metric.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.QueryTrialsAsync(e, new TrialQuery { Metric = "accuracy" }));
        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.QueryTrialsAsync(Guid.Empty));
        Assert.Contains(Guid.Empty.ToString(), unknown.Message, StringComparison.Ordinal);
        Assert.Equal(30L, await store.CountTrialsAsync(e));
    }

    [Fact]
    public async Task Experiments_are_listed_filtered_and_their_status_set()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var a = await store.CreateExperimentAsync("a", """{"n":1}""");
        var b = await store.CreateExperimentAsync("b", """{"n":2}""");
        await store.SetExperimentStatusAsync(b.Id, ExperimentStatus.Failed, "strategy crashed");
        Assert.Equal(new[] { a.Id, b.Id }, (await store.ListExperimentsAsync()).Select(x => x.Id));
        var failed = Assert.Single(await store.ListExperimentsAsync(ExperimentStatus.Failed));
        Assert.Equal((b.Id, "b", """{"n":2}""", "strategy crashed"), (failed.Id, failed.Name, failed.SpecJson, failed.Error));
        Assert.True(failed.UpdatedAt >= failed.CreatedAt);
        await store.SetExperimentStatusAsync(b.Id, ExperimentStatus.Running);
        Assert.Null((await store.GetExperimentAsync(b.Id))!.Error);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetExperimentStatusAsync(Guid.NewGuid(), ExperimentStatus.Running));
        Assert.Null(await store.GetExperimentAsync(Guid.NewGuid()));
    }
}
