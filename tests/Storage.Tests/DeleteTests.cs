using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class DeleteTests
{
    [Fact]
    public async Task Deleting_an_experiment_cascades_and_returns_its_artifact_paths()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var doomed = await store.CreateExperimentAsync("doomed", "{}");
        var kept = await store.CreateExperimentAsync("kept", "{}");
        var paths = new List<string>();
        long parent = 0;
        for (var i = 0; i < 5; i++)
        {
            var ids = await store.AddTrialsAsync(doomed.Id, [new NewTrial("{}", ParentId: i == 0 ? null : parent)]);
            parent = ids[0];
            var attempt = await store.StartTrialAsync(ids[0], "w");
            Assert.True(await store.CompleteTrialAsync(ids[0], attempt, Metrics(i), [Artifact($"d{i}a"), Artifact($"d{i}b")]));
            paths.Add($"/artifacts/d{i}a");
            paths.Add($"/artifacts/d{i}b");
        }
        await store.SaveCheckpointAsync(doomed.Id, new byte[] { 1 }, 5);
        var (keptTrial, keptAttempt) = await fixture.AddAndStartAsync(kept.Id);
        Assert.True(await store.CompleteTrialAsync(keptTrial, keptAttempt, Metrics(1), [Artifact("k")]));
        await store.SaveCheckpointAsync(kept.Id, new byte[] { 2 }, 1);

        var deleted = await store.DeleteExperimentAsync(doomed.Id);

        Assert.Equal(paths, deleted);
        Assert.Null(await store.GetExperimentAsync(doomed.Id));
        using var raw = Raw(fixture.DbPath);
        Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM trials"));
        Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM artifacts"));
        Assert.Equal(1L, Scalar(raw, "SELECT COUNT(*) FROM checkpoints"));
        Assert.Single(await store.GetArtifactsAsync(keptTrial));
        Assert.Empty(await store.CheckIntegrityAsync());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.DeleteExperimentAsync(doomed.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.AddTrialsAsync(doomed.Id, [new NewTrial("{}")]));
    }
}
