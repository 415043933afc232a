using System.Globalization;
using System.Text;
using AutoCompress.Storage.Tests.Support;
using Xunit.Abstractions;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class CrashTests(ITestOutputHelper output)
{
    /// <summary>
    /// A child process writes and completes trials (some singly by 8 workers, some in atomic completion+checkpoint
    /// batches) and prints each acknowledged commit; the test SIGKILLs it mid-flight, reopens the file and holds the
    /// store to every printed promise. Two rounds on the same file, so the second child starts on a crash-recovered DB.
    /// </summary>
    [Fact]
    public async Task After_kill_9_every_acknowledged_completion_is_there_exactly_once_and_the_store_resumes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("crash.db");
        foreach (var (minDone, minTold) in new[] { (300, 40), (700, 80) })
        {
            List<string> lines;
            using (var child = new ChildProcess(path, "8"))
            {
                await child.WaitForAsync(lines =>
                    lines.Count(l => l.StartsWith("done ", StringComparison.Ordinal)) >= minDone
                    && lines.Count(l => l.StartsWith("told ", StringComparison.Ordinal)) >= minTold, TimeSpan.FromSeconds(60));
                await child.KillAsync();
                lines = child.Lines.ToList();
            }
            await VerifyAsync(path, lines);
        }
    }

    private async Task VerifyAsync(string path, List<string> lines)
    {
        var ready = lines[0].Split(' ');
        Assert.Equal("ready", ready[0]);
        var (a, b) = (Guid.Parse(ready[1]), Guid.Parse(ready[2]));
        var acknowledged = lines.Where(l => l.StartsWith("done ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).Select(p => (Id: long.Parse(p[1], CultureInfo.InvariantCulture), Attempt: int.Parse(p[2], CultureInfo.InvariantCulture))).ToList();
        var told = lines.Where(l => l.StartsWith("told ", StringComparison.Ordinal)).Select(l => long.Parse(l[5..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Select(x => x.Id).Distinct().Count());

        await using var store = await ExperimentStore.OpenAsync(path);
        Assert.Empty(await store.CheckIntegrityAsync());

        // Experiment A: every acknowledged completion is stored, once, with its attempt, metrics and one artifact.
        foreach (var (id, attempt) in acknowledged)
        {
            var trial = (await store.GetTrialAsync(id))!;
            Assert.Equal((a, TrialStatus.Completed, attempt), (trial.ExperimentId, trial.Status, trial.Attempt));
            Assert.Equal(id % 1000 / 1000.0, trial.Metrics!["accuracy"]);
            Assert.Equal(id, Assert.Single(await store.GetArtifactsAsync(id)).Info.Bytes);
        }
        var completedA = await store.CountTrialsAsync(a, [TrialStatus.Completed]);
        Assert.InRange(completedA, acknowledged.Count, acknowledged.Count + 8); // at most one unacknowledged commit per worker
        using (var raw = Raw(path))
        {
            // Artifacts exist exactly for completed trials, one each (none half-written with a refused or lost completion).
            Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM trials t WHERE t.status = 'completed' AND (SELECT COUNT(*) FROM artifacts x WHERE x.trial_id = t.id) <> 1 AND t.experiment_id = (SELECT id FROM experiments WHERE name = 'crash-a' ORDER BY id DESC LIMIT 1)"));
            Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM artifacts x JOIN trials t ON t.id = x.trial_id WHERE t.status <> 'completed'"));
        }

        // Experiment B: the checkpoint and the completions it was told are consistent.
        var checkpoint = (await store.LatestCheckpointAsync(b))!;
        var completedB = await store.CountTrialsAsync(b, [TrialStatus.Completed]);
        Assert.Equal(completedB, checkpoint.ToldCount);
        Assert.Equal(checkpoint.ToldCount.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(checkpoint.State.Span));
        Assert.True(told.Max() <= checkpoint.ToldCount, $"acknowledged told {told.Max()} but the checkpoint says {checkpoint.ToldCount}");
        Assert.Equal(0, completedB % 5);

        // In-flight trials are recovered and re-run; their lost attempts can no longer complete.
        var running = (await store.QueryTrialsAsync(a, new TrialQuery { Statuses = [TrialStatus.Running], Limit = 1000 }))
            .Concat(await store.QueryTrialsAsync(b, new TrialQuery { Statuses = [TrialStatus.Running], Limit = 1000 })).ToList();
        Assert.Equal(running.Count, await store.RecoverInFlightAsync());
        output.WriteLine($"acknowledged {acknowledged.Count} completions (stored {completedA}), told {told.Max()} (checkpoint {checkpoint.ToldCount}), recovered {running.Count} in-flight trials");
        foreach (var lost in running)
        {
            var attempt = await store.StartTrialAsync(lost.Id, "rerun");
            Assert.Equal(lost.Attempt + 1, attempt);
            Assert.False(await store.CompleteTrialAsync(lost.Id, lost.Attempt, Metrics(0)));
            Assert.True(await store.CompleteTrialAsync(lost.Id, attempt, Metrics(1)));
        }
        Assert.Equal(0L, await store.CountTrialsAsync(a, [TrialStatus.Running]));
        Assert.Empty(await store.CheckIntegrityAsync());
    }
}
