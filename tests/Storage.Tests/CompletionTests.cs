using AutoCompress.Storage.Tests.Support;
using static AutoCompress.Storage.Tests.Support.StoreFixture;

namespace AutoCompress.Storage.Tests;

public class CompletionTests
{
    [Fact]
    public async Task Concurrent_duplicate_completions_are_won_exactly_once()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("race", "{}");
        var ids = await store.AddTrialsAsync(e.Id, Enumerable.Range(0, 40).Select(i => new NewTrial($$"""{"i":{{i}}}""")).ToList());
        var attempts = new Dictionary<long, int>();
        foreach (var id in ids) attempts[id] = await store.StartTrialAsync(id, "w");

        // 40 trials x 12 racers each, all released at once from thread-pool threads.
        using var gate = new ManualResetEventSlim();
        var racers = ids.SelectMany(id => Enumerable.Range(0, 12).Select(r => Task.Run(async () =>
        {
            gate.Wait();
            var won = await store.CompleteTrialAsync(id, attempts[id], Metrics(r / 100.0), [Artifact($"{id}-{r}")]);
            return (id, r, won);
        }))).ToList();
        gate.Set();
        var results = await Task.WhenAll(racers);

        foreach (var group in results.GroupBy(x => x.id))
        {
            var winners = group.Where(x => x.won).ToList();
            Assert.Single(winners);
            var trial = (await store.GetTrialAsync(group.Key))!;
            Assert.Equal(TrialStatus.Completed, trial.Status);
            Assert.Equal(winners[0].r / 100.0, trial.Metrics!["accuracy"]);
            var artifacts = await store.GetArtifactsAsync(group.Key);
            Assert.Equal("/artifacts/" + $"{group.Key}-{winners[0].r}", Assert.Single(artifacts).Info.Path);
        }
        Assert.Equal(40L, await store.CountTrialsAsync(e.Id, [TrialStatus.Completed]));
    }

    [Fact]
    public async Task A_completion_from_a_stale_attempt_is_refused_and_changes_nothing()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("stale", "{}");
        var (id, first) = await fixture.AddAndStartAsync(e.Id, "w1");
        Assert.Equal(1, first);

        // The service restarts while w1 is still working: the trial is recovered and handed to w2.
        Assert.Equal(1, await store.RecoverInFlightAsync());
        var second = await store.StartTrialAsync(id, "w2");
        Assert.Equal(2, second);

        Assert.False(await store.CompleteTrialAsync(id, first, Metrics(0.1), [Artifact("stale")]));
        Assert.False(await store.FailTrialAsync(id, first, "w1 gave up"));
        var running = (await store.GetTrialAsync(id))!;
        Assert.Equal((TrialStatus.Running, 2, "w2"), (running.Status, running.Attempt, running.WorkerId));
        Assert.Null(running.Metrics);
        Assert.Empty(await store.GetArtifactsAsync(id));

        Assert.True(await store.CompleteTrialAsync(id, second, Metrics(0.9)));
        Assert.False(await store.CompleteTrialAsync(id, second, Metrics(0.5)));
        Assert.False(await store.FailTrialAsync(id, second, "too late"));
        var done = (await store.GetTrialAsync(id))!;
        Assert.Equal(TrialStatus.Completed, done.Status);
        Assert.Equal(0.9, done.Metrics!["accuracy"]);
        Assert.NotNull(done.Duration);
        Assert.False(await store.CompleteTrialAsync(999_999, 1, Metrics(0.5)));
    }

    [Fact]
    public async Task Only_a_pending_trial_can_be_started()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("start", "{}");
        var (id, _) = await fixture.AddAndStartAsync(e.Id);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => store.StartTrialAsync(id, "w"));
        Assert.Contains($"trial {id} is running", again.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.StartTrialAsync(424242, "w"));
        Assert.Contains("424242", missing.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await store.GetTrialAsync(id))!.Attempt);
    }

    [Fact]
    public async Task Failing_and_cancelling_follow_the_same_rules()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("fail", "{}");
        var (failing, attempt) = await fixture.AddAndStartAsync(e.Id);
        Assert.True(await store.FailTrialAsync(failing, attempt, "out of memory"));
        Assert.False(await store.CompleteTrialAsync(failing, attempt, Metrics(1)));
        var failed = (await store.GetTrialAsync(failing))!;
        Assert.Equal((TrialStatus.Failed, "out of memory"), (failed.Status, failed.Error));

        var (cancelled, cancelledAttempt) = await fixture.AddAndStartAsync(e.Id);
        Assert.True(await store.CancelTrialAsync(cancelled));
        Assert.False(await store.CancelTrialAsync(cancelled));
        Assert.False(await store.CompleteTrialAsync(cancelled, cancelledAttempt, Metrics(1)));
        var pending = (await store.AddTrialsAsync(e.Id, [new NewTrial("{}")]))[0];
        Assert.True(await store.CancelTrialAsync(pending));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.StartTrialAsync(pending, "w"));
        Assert.Equal(2L, await store.CountTrialsAsync(e.Id, [TrialStatus.Cancelled]));
    }

    [Fact]
    public async Task RecoverInFlight_requeues_running_trials_only_and_keeps_their_attempts()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var a = await store.CreateExperimentAsync("a", "{}");
        var b = await store.CreateExperimentAsync("b", "{}");
        var (aRunning1, _) = await fixture.AddAndStartAsync(a.Id);
        var (aRunning2, _) = await fixture.AddAndStartAsync(a.Id);
        var (aDone, aDoneAttempt) = await fixture.AddAndStartAsync(a.Id);
        Assert.True(await store.CompleteTrialAsync(aDone, aDoneAttempt, Metrics(0.5)));
        var aPending = (await store.AddTrialsAsync(a.Id, [new NewTrial("{}")]))[0];
        var (bRunning, _) = await fixture.AddAndStartAsync(b.Id);

        await fixture.ReopenAsync(); // a restart: nothing is lost, running trials are still marked running
        store = fixture.Store;
        Assert.Equal(2L, await store.CountTrialsAsync(a.Id, [TrialStatus.Running]));

        Assert.Equal(2, await store.RecoverInFlightAsync(a.Id));
        Assert.Equal(TrialStatus.Running, (await store.GetTrialAsync(bRunning))!.Status);
        foreach (var id in new[] { aRunning1, aRunning2 })
        {
            var t = (await store.GetTrialAsync(id))!;
            Assert.Equal((TrialStatus.Pending, 1, null, null), (t.Status, t.Attempt, t.WorkerId, t.StartedAt));
        }
        Assert.Equal(TrialStatus.Completed, (await store.GetTrialAsync(aDone))!.Status);
        Assert.Equal(TrialStatus.Pending, (await store.GetTrialAsync(aPending))!.Status);
        Assert.Equal(1, await store.RecoverInFlightAsync());
        Assert.Equal(0, await store.RecoverInFlightAsync());
        Assert.Equal(2, await store.StartTrialAsync(aRunning1, "w"));
    }

    [Fact]
    public async Task Claims_follow_priority_then_sequence_and_concurrent_claims_never_share_a_trial()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("claims", "{}");
        var ids = await store.AddTrialsAsync(e.Id,
        [
            new NewTrial("""{"n":0}"""), new NewTrial("""{"n":1}""", Priority: 2), new NewTrial("""{"n":2}"""),
            new NewTrial("""{"n":3}""", Priority: 2), new NewTrial("""{"n":4}""", Priority: -1),
        ]);
        var order = new List<long>();
        while (await store.ClaimNextTrialAsync(e.Id, "w") is { } t)
        {
            Assert.Equal((TrialStatus.Running, 1, "w"), (t.Status, t.Attempt, t.WorkerId));
            order.Add(t.Id);
        }
        Assert.Equal(new[] { ids[1], ids[3], ids[0], ids[2], ids[4] }, order);

        var many = await store.AddTrialsAsync(e.Id, Enumerable.Range(0, 200).Select(_ => new NewTrial("{}")).ToList());
        var claims = await Task.WhenAll(Enumerable.Range(0, 250).Select(i => Task.Run(() => store.ClaimNextTrialAsync(e.Id, $"w{i}"))));
        var claimed = claims.Where(c => c is not null).Select(c => c!.Id).ToList();
        Assert.Equal(200, claimed.Count);
        Assert.Equal(many.Order(), claimed.Order());
    }

    [Fact]
    public async Task Invalid_input_is_refused_with_a_clear_message_and_nothing_is_written()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var store = fixture.Store;
        var e = await store.CreateExperimentAsync("bad", "{}");
        var json = await Assert.ThrowsAsync<ArgumentException>(() => store.AddTrialsAsync(e.Id, [new NewTrial("{}"), new NewTrial("{not json")]));
        Assert.Contains("trial 1: config is not valid JSON", json.Message, StringComparison.Ordinal);
        var fidelity = await Assert.ThrowsAsync<ArgumentException>(() => store.AddTrialsAsync(e.Id, [new NewTrial("{}", double.NaN)]));
        Assert.Contains("fidelity", fidelity.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateExperimentAsync("x", "not json"));
        var (id, attempt) = await fixture.AddAndStartAsync(e.Id);
        var sha = await Assert.ThrowsAsync<ArgumentException>(() => store.CompleteTrialAsync(id, attempt, Metrics(1), [new ArtifactInfo("w", "/p", 1, "abc")]));
        Assert.Contains("SHA-256", sha.Message, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Running, (await store.GetTrialAsync(id))!.Status);
        Assert.Equal(1L, await store.CountTrialsAsync(e.Id));
    }

    [Fact]
    public async Task Artifact_descriptions_can_be_measured_from_files()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.bin");
        await File.WriteAllTextAsync(path, "abc");
        var info = await ArtifactInfo.FromFileAsync("weights", path);
        Assert.Equal(3, info.Bytes);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", info.Sha256);
    }
}
