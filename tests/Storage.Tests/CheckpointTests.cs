using System.Text;
using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class CheckpointTests
{
    [Fact]
    public async Task Completions_and_the_checkpoint_that_was_told_them_commit_together()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("ckpt", "{}");
        Assert.Null(await store.LatestCheckpointAsync(e.Id));
        var started = new List<(long Id, int Attempt)>();
        for (var i = 0; i < 3; i++) started.Add(await fixture.AddAndStartAsync(e.Id));

        var commit = await store.CompleteTrialsAndCheckpointAsync(e.Id,
            started.Select(t => new TrialCompletion(t.Id, t.Attempt, Metrics(t.Id / 10.0), [Artifact($"a{t.Id}")])).ToList(),
            Encoding.UTF8.GetBytes("state-3"), toldCount: 3);
        Assert.True(commit.Committed);
        Assert.Equal(1L, commit.CheckpointSeq);
        Assert.Empty(commit.RefusedTrialIds);

        await fixture.ReopenAsync();
        store = fixture.Store;
        var latest = (await store.LatestCheckpointAsync(e.Id))!;
        Assert.Equal((1L, 3L, "state-3"), (latest.Seq, latest.ToldCount, Encoding.UTF8.GetString(latest.State.Span)));
        Assert.Equal(3L, await store.CountTrialsAsync(e.Id, [TrialStatus.Completed]));
        foreach (var (id, _) in started) Assert.Single(await store.GetArtifactsAsync(id));
    }

    [Fact]
    public async Task One_unacceptable_completion_refuses_the_whole_commit()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("ckpt", "{}");
        var other = await store.CreateExperimentAsync("other", "{}");
        var (ok, okAttempt) = await fixture.AddAndStartAsync(e.Id);
        var (stale, staleAttempt) = await fixture.AddAndStartAsync(e.Id);
        var (foreign, foreignAttempt) = await fixture.AddAndStartAsync(other.Id);
        Assert.True(await store.CompleteTrialAsync(stale, staleAttempt, Metrics(0.3))); // already completed elsewhere
        await store.SaveCheckpointAsync(e.Id, new byte[] { 1 }, 1);

        var commit = await store.CompleteTrialsAndCheckpointAsync(e.Id,
        [
            new TrialCompletion(ok, okAttempt, Metrics(0.1), [Artifact("ok")]),
            new TrialCompletion(stale, staleAttempt, Metrics(0.2)),
            new TrialCompletion(foreign, foreignAttempt, Metrics(0.4)),
            new TrialCompletion(ok, okAttempt, Metrics(0.5)),
        ], new byte[] { 9, 9 }, 4);

        Assert.False(commit.Committed);
        Assert.Null(commit.CheckpointSeq);
        Assert.Equal(new[] { stale, foreign, ok }, commit.RefusedTrialIds);
        var okTrial = (await store.GetTrialAsync(ok))!;
        Assert.Equal(TrialStatus.Running, okTrial.Status);
        Assert.Empty(await store.GetArtifactsAsync(ok));
        Assert.Equal(TrialStatus.Running, (await store.GetTrialAsync(foreign))!.Status);
        Assert.Equal(0.3, (await store.GetTrialAsync(stale))!.Metrics!["accuracy"]);
        var latest = (await store.LatestCheckpointAsync(e.Id))!;
        Assert.Equal((1L, 1L), (latest.Seq, latest.ToldCount));

        // Retrying without the refused ones commits.
        var retry = await store.CompleteTrialsAndCheckpointAsync(e.Id, [new TrialCompletion(ok, okAttempt, Metrics(0.1))], new byte[] { 2 }, 2);
        Assert.True(retry.Committed);
        Assert.Equal(2L, retry.CheckpointSeq);
    }

    [Fact]
    public async Task Only_the_newest_checkpoints_are_kept()
    {
        await using var fixture = await StoreFixture.CreateAsync(new ExperimentStoreOptions { CheckpointsToKeep = 2 });
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("keep", "{}");
        var other = await store.CreateExperimentAsync("other", "{}");
        await store.SaveCheckpointAsync(other.Id, new byte[] { 42 }, 0);
        for (var i = 1; i <= 5; i++) Assert.Equal(i, await store.SaveCheckpointAsync(e.Id, new byte[] { (byte)i }, i * 10));
        var latest = (await store.LatestCheckpointAsync(e.Id))!;
        Assert.Equal((5L, 50L, (byte)5), (latest.Seq, latest.ToldCount, latest.State.Span[0]));
        using var raw = Raw(fixture.DbPath);
        Assert.Equal(3L, Scalar(raw, "SELECT COUNT(*) FROM checkpoints"));
        Assert.Equal(4L, Scalar(raw, "SELECT MIN(seq) FROM checkpoints WHERE told_count >= 10"));
        Assert.Equal(42, (await store.LatestCheckpointAsync(other.Id))!.State.Span[0]);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LatestCheckpointAsync(Guid.NewGuid()));
    }
}
