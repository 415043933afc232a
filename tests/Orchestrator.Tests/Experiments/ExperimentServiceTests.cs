using System.Globalization;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Orchestrator.Workers;
using AutoCompress.Search.Strategies;
using AutoCompress.Storage;
using TrialStatus = AutoCompress.Storage.TrialStatus;

namespace AutoCompress.Orchestrator.Tests.Experiments;

/// <summary>Experiments end to end: the experiment actor, the scheduler, real worker processes and a real SQLite file.</summary>
public sealed class ExperimentServiceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string dir = Directory.CreateTempSubdirectory("ac-experiments-").FullName;
    private readonly string plugins;

    public ExperimentServiceTests() => plugins = TestPlugins.InstallEvaluators(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private Task<ExperimentService> Start(string db = "experiments.db", int slots = 2, int inProcessSlots = 4) =>
        ExperimentService.StartAsync(new ExperimentServiceOptions
        {
            DatabasePath = Path.Combine(dir, db),
            WorkRoot = Path.Combine(dir, "work"),
            InProcessSlots = inProcessSlots,
            Workers = new WorkerPoolOptions
            {
                Slots = slots, Worker = TestPlugins.Worker, PluginDirectories = [plugins],
                CancelGrace = TimeSpan.FromSeconds(0.5), RestartBackoff = TimeSpan.FromMilliseconds(50),
            },
            EvaluatorKnown = id => id is "test-inproc" or "test-eval",
            Strategies = AutoCompress.Search.Agents.AgentStrategies.Catalog(),
        });

    /// <summary>Minimise x² over x in [-1, 1] with the in-process evaluator.</summary>
    internal static string SquareSpec(int trials, int concurrent = 4, double seconds = 0, long seed = 3, string name = "square",
        int priority = 0, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {"name": "{{name}}", "evaluator": "test-inproc", "fixed": {"seconds": {{seconds}}},
         "space": {"parameters": [{"name": "x", "type": "continuous", "low": -1, "high": 1}]},
         "objectives": [{"metric": "square", "direction": "minimize"}],
         "budget": {"max_trials": {{trials}}, "max_concurrent": {{concurrent}}, "max_attempts": 2},
         "priority": {{priority}}, "seed": {{seed}} {{extra}} }
        """);

    /// <summary>The configurations random search draws for this spec's seed, in order: what every run must have tried.</summary>
    internal static List<string> ExpectedConfigs(int count, long seed = 3)
    {
        var spec = ExperimentSpec.Parse(SquareSpec(count, seed: seed));
        var strategy = new RandomSearch(new StrategyContext { Space = spec.Space, Objectives = spec.Objectives, Seed = seed });
        return [.. strategy.Ask(count).Select(s => s.Config.ToJsonString())];
    }

    internal static async Task<IReadOnlyList<Trial>> AllTrials(ExperimentStore store, Guid id) =>
        await store.QueryTrialsAsync(id, new TrialQuery { Limit = TrialQuery.MaxLimit });

    [Fact]
    public async Task A_random_search_runs_every_trial_exactly_once_and_checkpoints_what_it_was_told()
    {
        await using var service = await Start();
        var id = await service.CreateAsync(SquareSpec(60, concurrent: 8));
        var end = await service.WaitAsync(id).WaitAsync(Patience);

        Assert.Equal(ExperimentStatus.Completed, end.Status);
        Assert.Equal(60, end.Completed);
        var trials = await AllTrials(service.Store, id);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), trials.Select(t => t.Seq));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Completed, 1), (t.Status, t.Attempt)));
        // Each trial's result is its own configuration's: square = x².
        Assert.All(trials, t => Assert.Equal(Math.Pow(JsonNode.Parse(t.ConfigJson)!["x"]!.GetValue<double>(), 2), t.Metrics!["square"], 12));
        Assert.Equal(ExpectedConfigs(60), trials.Select(t => t.ConfigJson));
        var checkpoint = await service.Store.LatestCheckpointAsync(id);
        Assert.Equal(60, checkpoint!.ToldCount);
        var best = trials.MinBy(t => t.Metrics!["square"])!;
        Assert.Equal((best.Metrics!["square"], best.Seq), (end.BestValue!.Value, end.BestTrialSeq!.Value));
    }

    [Theory]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": []}, "objectives": [{"metric": "m", "direction": "minimize"}]}""", "space: search space: no parameters")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "continuous", "low": 2, "high": 1}]}, "objectives": [{"metric": "m", "direction": "minimize"}]}""", "parameter 'x': high (1) is below low (2)")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "budget": {"max_trials": 0}}""", "budget.max_trials must be at least 1")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "budjet": {}}""", "budjet")]
    [InlineData("""{"name": "n", "evaluator": "nope", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}]}""", "no evaluator plugin 'nope'")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "strategy": {"name": "simulated_annealing"}}""", "unknown strategy 'simulated_annealing'")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "strategy": {"name": "random", "options": {"population": 3}}}""", "strategy 'random': it takes no options, got 'population'")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}}""", "objectives")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "categorical", "choices": ["a"]}, {"name": "y", "type": "integer", "low": 1, "high": 2, "when": {"parameter": "x", "in": ["b"]}}]}, "objectives": [{"metric": "m", "direction": "minimize"}]}""", "parameter 'y': its condition value \"b\" is not a value of 'x'")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "fidelity": {"min": 1, "max": 9, "eta": 1}}""", "fidelity.eta must be at least 2")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "constraints": [{"metric": "m"}]}""", "spec: constraints: constraint on 'm' needs 'min' or 'max'")]
    [InlineData("""{"name": "n", "evaluator": """, "spec:")]
    public async Task A_bad_spec_is_refused_with_the_field_named_and_nothing_is_stored(string spec, string expected)
    {
        await using var service = await Start();
        var e = await Assert.ThrowsAsync<ExperimentSpecException>(() => service.CreateAsync(spec));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Empty(await service.Store.ListExperimentsAsync());
    }

    [Fact]
    public async Task Constraints_keep_infeasible_trials_off_the_front_and_from_best()
    {
        await using var service = await Start();
        var id = await service.CreateAsync(SquareSpec(30, extra: """, "constraints": [{"metric": "square", "min": 0.25}]"""));
        var end = await service.WaitAsync(id).WaitAsync(Patience);
        var trials = await AllTrials(service.Store, id);
        var feasible = trials.Where(t => t.Metrics!["square"] >= 0.25).ToList();
        Assert.NotEmpty(feasible);
        Assert.True(feasible.Count < trials.Count, "some trials should break the constraint");
        var best = feasible.MinBy(t => t.Metrics!["square"])!;
        Assert.Equal(best.Seq, end.BestTrialSeq);
        var front = (await ExperimentFront.ReadAsync(service.Store, id))!;
        Assert.Equal(best.Seq, Assert.Single(front.Front).Seq);
        Assert.Equal(feasible.Count, front.Evaluated);
    }

    [Fact]
    public async Task A_trial_whose_evaluator_throws_fails_once_without_retry_and_the_search_goes_on()
    {
        await using var service = await Start();
        var spec = """
            {"name": "throws", "evaluator": "test-inproc",
             "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 4}, {"name": "fail", "type": "categorical", "choices": [true, false]}]},
             "objectives": [{"metric": "square", "direction": "minimize"}], "budget": {"max_trials": 30, "max_concurrent": 3, "max_attempts": 3}, "seed": 5}
            """;
        var id = await service.CreateAsync(spec);
        var end = await service.WaitAsync(id).WaitAsync(Patience);
        var trials = await AllTrials(service.Store, id);
        Assert.Equal(ExperimentStatus.Completed, end.Status);
        var failing = trials.Where(t => JsonNode.Parse(t.ConfigJson)!["fail"]!.GetValue<bool>()).ToList();
        Assert.NotEmpty(failing);
        Assert.All(failing, t => Assert.Equal((TrialStatus.Failed, 1), (t.Status, t.Attempt)));
        Assert.All(failing, t => Assert.Contains("told to fail", t.Error, StringComparison.Ordinal));
        Assert.All(trials.Except(failing), t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal((failing.Count, 30 - failing.Count), ((int)end.Failed, (int)end.Completed));
        Assert.Equal(0, end.Retries);

        // Every trial keeps its log, failed or not: the evaluator's lines and how the attempt ended.
        foreach (var t in trials)
        {
            var logs = (await service.Store.GetArtifactsAsync(t.Id)).Where(a => a.Info.Kind == "log").ToList();
            var log = await File.ReadAllTextAsync(Assert.Single(logs).Info.Path);
            Assert.Contains($"--- attempt 1 of trial {t.Seq} (test-inproc) ---", log, StringComparison.Ordinal);
            var x = JsonNode.Parse(t.ConfigJson)!["x"]!.GetValue<long>();
            if (failing.Contains(t)) Assert.Contains($"--- failed after", log, StringComparison.Ordinal);
            if (failing.Contains(t)) Assert.Contains($"told to fail for x = {x}", log, StringComparison.Ordinal);
            else Assert.Contains($"x = {x}\n--- completed after", log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_worker_that_dies_costs_one_attempt_the_trial_is_retried_and_then_failed_and_the_service_stays_up()
    {
        await using var service = await Start(slots: 2);
        var spec = """
            {"name": "crashes", "evaluator": "test-eval",
             "space": {"parameters": [{"name": "action", "type": "categorical", "choices": ["crash", "sleep"]}]},
             "fixed": {"seconds": 0.01, "value": 1},
             "objectives": [{"metric": "value", "direction": "maximize"}], "budget": {"max_trials": 6, "max_concurrent": 2, "max_attempts": 2}, "seed": 1}
            """;
        var id = await service.CreateAsync(spec);
        var end = await service.WaitAsync(id).WaitAsync(Patience);
        var trials = await AllTrials(service.Store, id);
        var crashing = trials.Where(t => t.ConfigJson.Contains("crash", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(crashing);
        Assert.Equal(ExperimentStatus.Completed, end.Status);
        // Crashed on both attempts: failed for good, the reason recorded.
        Assert.All(crashing, t => Assert.Equal((TrialStatus.Failed, 2), (t.Status, t.Attempt)));
        Assert.All(crashing, t => Assert.Contains("Crashed", t.Error, StringComparison.Ordinal));
        Assert.All(trials.Except(crashing), t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(crashing.Count, end.Retries);
        // Both attempts are in the trial's log, each with how it ended.
        foreach (var t in crashing)
        {
            var log = await File.ReadAllTextAsync(Assert.Single(await service.Store.GetArtifactsAsync(t.Id)).Info.Path);
            Assert.Contains("--- attempt 1 of trial", log, StringComparison.Ordinal);
            Assert.Contains("--- attempt 2 of trial", log, StringComparison.Ordinal);
            Assert.Equal(2, log.Split("--- crashed after").Length - 1);
        }
        // The pool replaced its workers: a new experiment still runs.
        var again = await service.CreateAsync(spec.Replace("\"crash\", ", "", StringComparison.Ordinal).Replace("crashes", "after", StringComparison.Ordinal));
        Assert.Equal(6, (await service.WaitAsync(again).WaitAsync(Patience)).Completed);
    }

    [Fact]
    public async Task Two_experiments_share_the_slots_evenly_and_a_higher_priority_one_goes_first()
    {
        await using var service = await Start(inProcessSlots: 4);
        var a = await service.CreateAsync(SquareSpec(40, concurrent: 8, seconds: 0.1, name: "a"));
        var b = await service.CreateAsync(SquareSpec(40, concurrent: 8, seconds: 0.1, name: "b", seed: 4));
        var shares = new List<(int A, int B)>();
        // Steady state: both have ended trials, so b (created second, its first trials queued after a had taken every
        // slot) has had its chance at freed slots.
        var warmedUp = false;
        for (var i = 0; i < 80 && shares.Count < 10; i++)
        {
            await Task.Delay(50);
            var status = await service.GetSchedulerStatusAsync();
            warmedUp |= (await service.GetProgressAsync(a)).Completed >= 2 && (await service.GetProgressAsync(b)).Completed >= 2;
            if (warmedUp && status.RunningInProcess == 4 && status.Experiments.TryGetValue(a, out var sa) && status.Experiments.TryGetValue(b, out var sb)
                && sa.Queued > 0 && sb.Queued > 0)
                shares.Add((sa.Running, sb.Running));
        }
        // Work-conserving, so a moment's share can be 3:1 (one queue was briefly empty when a slot freed), but
        // neither experiment is starved and on average each holds half the slots.
        Assert.True(shares.Count >= 5, $"only {shares.Count} samples with both experiments waiting");
        Assert.All(shares, s => Assert.True(s.A >= 1 && s.B >= 1, $"share {s}"));
        Assert.InRange(shares.Average(s => s.A), 1.5, 2.5);
        await service.WaitAsync(a).WaitAsync(Patience);
        await service.WaitAsync(b).WaitAsync(Patience);

        var low = await service.CreateAsync(SquareSpec(30, concurrent: 8, seconds: 0.1, name: "low"));
        var high = await service.CreateAsync(SquareSpec(30, concurrent: 8, seconds: 0.1, name: "high", priority: 5));
        var seen = false;
        for (var i = 0; i < 40 && !seen; i++)
        {
            await Task.Delay(50);
            var status = await service.GetSchedulerStatusAsync();
            if (status.Experiments.TryGetValue(high, out var sh) && sh.Queued > 0 && status.Experiments.TryGetValue(low, out var sl) && sl.Queued > 0)
            {
                // While the high-priority experiment has trials waiting, every free slot goes to it.
                if (status.RunningInProcess == 4 && sh.Running == 4) seen = true;
            }
        }
        Assert.True(seen, "the high-priority experiment never held all slots while it had trials waiting");
        await service.WaitAsync(high).WaitAsync(Patience);
        await service.WaitAsync(low).WaitAsync(Patience);
    }

    [Fact]
    public async Task Multi_fidelity_promotes_the_best_configurations_to_higher_rungs()
    {
        await using var service = await Start();
        var id = await service.CreateAsync(SquareSpec(40, concurrent: 4, extra: """, "fidelity": {"min": 1, "max": 9, "eta": 3}"""));
        var end = await service.WaitAsync(id).WaitAsync(Patience);
        var trials = await AllTrials(service.Store, id);
        Assert.Equal((ExperimentStatus.Completed, 40L), (end.Status, end.Completed));
        Assert.Subset(new HashSet<double> { 1, 3, 9 }, trials.Select(t => t.Fidelity).ToHashSet());
        var promoted = trials.Where(t => t.ParentId is not null).ToList();
        Assert.Contains(promoted, t => t.Fidelity == 3);
        Assert.Contains(promoted, t => t.Fidelity == 9);
        var byId = trials.ToDictionary(t => t.Id);
        foreach (var child in promoted)
        {
            var parent = byId[child.ParentId!.Value];
            Assert.Equal(parent.ConfigJson, child.ConfigJson);
            Assert.Equal(child.Fidelity / 3, parent.Fidelity);
            // A promoted configuration was among the better ones of its rung.
            // (ranked among the results of its rung known when the promotion was decided, i.e. ended before the child was created)
            var rung = trials.Where(t => t.Fidelity == parent.Fidelity && t.EndedAt <= child.CreatedAt && t.Status == TrialStatus.Completed).Select(t => t.Metrics!["square"]).Order().ToList();
            Assert.True(parent.Metrics!["square"] <= rung[Math.Max(0, rung.Count / 3 - 1)] + 1e-12,
                $"trial {parent.Seq} ({parent.Metrics["square"]}) was promoted but is not in the top third of {rung.Count}");
        }
    }

    [Fact]
    public async Task A_stopped_service_resumes_its_experiment_where_it_was_and_tries_the_same_configurations()
    {
        Guid id;
        await using (var service = await Start())
        {
            id = await service.CreateAsync(SquareSpec(40, concurrent: 4, seconds: 0.05));
            while ((await service.GetProgressAsync(id)).Completed < 12) await Task.Delay(20);
        }
        await using (var service = await Start())
        {
            Assert.Equal(1, service.Resumed);
            var end = await service.WaitAsync(id).WaitAsync(Patience);
            Assert.Equal((ExperimentStatus.Completed, 40L, 0L), (end.Status, end.Completed, end.Failed));
            var trials = await AllTrials(service.Store, id);
            Assert.Equal(ExpectedConfigs(40), trials.Select(t => t.ConfigJson));
            Assert.Equal(40, (await service.Store.LatestCheckpointAsync(id))!.ToldCount);
        }
    }

    /// <summary>
    /// The AMC agent through the orchestrator: its networks, replay buffer and noise are in the checkpoint, so a
    /// search stopped after its warm-up and resumed tries exactly what an uninterrupted one tries (one trial at a
    /// time, so results arrive in the same order). The single "layer" is x, searched in [0, 0.9].
    /// </summary>
    [Fact]
    public async Task An_amc_agent_stopped_after_its_warm_up_resumes_exactly()
    {
        var spec = SquareSpec(30, concurrent: 1, extra: """
            , "strategy": {"name": "amc", "options": {"layers": [{"name": "x", "kind": "conv", "in": 4, "out": 8, "macs": 1000},
              {"name": "fc", "kind": "linear", "in": 8, "out": 2, "macs": 100, "searched": false}],
              "parameter_prefix": "", "target": {"metric": "macs", "ratio": 0.6}, "hidden": 16, "warmup_episodes": 5, "batch_size": 8}}
            """).Replace("\"low\": -1, \"high\": 1", "\"low\": 0, \"high\": 0.9", StringComparison.Ordinal);
        List<string> uninterrupted;
        await using (var service = await Start("straight.db"))
        {
            var straight = await service.CreateAsync(spec);
            var end = await service.WaitAsync(straight).WaitAsync(Patience);
            Assert.Equal((ExperimentStatus.Completed, 30L, 0L), (end.Status, end.Completed, end.Failed));
            uninterrupted = [.. (await AllTrials(service.Store, straight)).Select(t => t.ConfigJson)];
        }
        Guid id;
        await using (var service = await Start("stopped.db"))
        {
            id = await service.CreateAsync(spec);
            while ((await service.GetProgressAsync(id)).Completed < 12) await Task.Delay(5);
        }
        await using (var service = await Start("stopped.db"))
        {
            Assert.Equal(1, service.Resumed);
            var end = await service.WaitAsync(id).WaitAsync(Patience);
            Assert.Equal((ExperimentStatus.Completed, 30L), (end.Status, end.Completed));
            var trials = await AllTrials(service.Store, id);
            Assert.Equal(uninterrupted, trials.Select(t => t.ConfigJson));
            // Clipped to the budget: pruning x by r leaves 1100·(1 − r) MACs (fc's inputs shrink too), so r >= 0.4.
            Assert.All(trials, t => Assert.True(JsonNode.Parse(t.ConfigJson)!["x"]!.GetValue<double>() >= 0.4 - 1e-9, t.ConfigJson));
        }
    }

    [Fact]
    public async Task An_evolution_search_with_middleware_survives_a_restart_and_improves_on_its_random_start()
    {
        var spec = SquareSpec(80, concurrent: 4, seconds: 0.01,
            extra: """, "strategy": {"name": "regularized_evolution", "options": {"population_size": 10, "sample_size": 3, "mutation_scale": 0.02}, "middleware": {"dedup": true, "failure_penalty": true}}""")
            .Replace("\"type\": \"continuous\", \"low\": -1, \"high\": 1", "\"type\": \"integer\", \"low\": -500, \"high\": 500", StringComparison.Ordinal);
        Guid id;
        await using (var service = await Start())
        {
            id = await service.CreateAsync(spec);
            while ((await service.GetProgressAsync(id)).Completed < 30) await Task.Delay(10);
        }
        await using (var service = await Start())
        {
            var end = await service.WaitAsync(id).WaitAsync(Patience);
            Assert.Equal((ExperimentStatus.Completed, 80L), (end.Status, end.Completed));
            var trials = await AllTrials(service.Store, id);
            var xs = trials.Select(t => JsonNode.Parse(t.ConfigJson)!["x"]!.GetValue<long>()).ToList();
            Assert.Equal(xs.Count, xs.Distinct().Count()); // dedup: never the same configuration twice
            // Children of the fittest: the last 40 trials sit much closer to 0 than the 10 random founders.
            Assert.True(xs.Skip(40).Select(x => Math.Abs(x)).Average() < xs.Take(10).Select(x => Math.Abs(x)).Average() / 2,
                $"founders {string.Join(",", xs.Take(10))}; last {string.Join(",", xs.Skip(40))}");
        }
    }

    [Fact]
    public async Task A_single_running_or_queued_trial_can_be_cancelled_and_the_search_goes_on()
    {
        await using var service = await Start(inProcessSlots: 1);
        var id = await service.CreateAsync(SquareSpec(12, concurrent: 3, seconds: 0.3));
        Trial[] open;
        while ((open = [.. (await AllTrials(service.Store, id)).Where(t => t.Status is TrialStatus.Running or TrialStatus.Pending)]).Length < 3
               || !open.Any(t => t.Status == TrialStatus.Running) || !open.Any(t => t.Status == TrialStatus.Pending))
            await Task.Delay(10);
        var running = open.First(t => t.Status == TrialStatus.Running);
        var queued = open.First(t => t.Status == TrialStatus.Pending);
        Assert.True(await service.CancelTrialAsync(id, running.Id));
        Assert.True(await service.CancelTrialAsync(id, queued.Id));
        Assert.False(await service.CancelTrialAsync(id, queued.Id)); // already cancelled
        var end = await service.WaitAsync(id).WaitAsync(Patience);
        Assert.Equal((ExperimentStatus.Completed, 10L, 2L), (end.Status, end.Completed, end.Failed));
        var trials = await AllTrials(service.Store, id);
        Assert.Equal(TrialStatus.Cancelled, trials.Single(t => t.Id == running.Id).Status);
        Assert.Equal(TrialStatus.Cancelled, trials.Single(t => t.Id == queued.Id).Status);
        Assert.Equal(12, (await service.Store.LatestCheckpointAsync(id))!.ToldCount);
        Assert.False(await service.CancelTrialAsync(id, trials[0].Id)); // the experiment has ended
    }

    [Fact]
    public async Task Pause_holds_new_trials_resume_continues_and_cancel_cancels_the_rest()
    {
        await using var service = await Start();
        var id = await service.CreateAsync(SquareSpec(200, concurrent: 4, seconds: 0.05));
        while ((await service.GetProgressAsync(id)).Completed < 4) await Task.Delay(20);
        Assert.Equal(ExperimentStatus.Paused, (await service.PauseAsync(id)).Status);
        await Task.Delay(300); // running trials finish; no new ones start
        var paused = await service.GetProgressAsync(id);
        await Task.Delay(300);
        var later = await service.GetProgressAsync(id);
        Assert.Equal(0, later.Running);
        Assert.Equal(paused.Completed, later.Completed);
        Assert.Equal(ExperimentStatus.Paused, (await service.Store.GetExperimentAsync(id))!.Status);

        Assert.Equal(ExperimentStatus.Running, (await service.ResumeAsync(id)).Status);
        while ((await service.GetProgressAsync(id)).Completed < later.Completed + 4) await Task.Delay(20);
        Assert.Equal(ExperimentStatus.Cancelled, (await service.CancelAsync(id)).Status);
        var end = await service.WaitAsync(id).WaitAsync(Patience);
        Assert.Equal(ExperimentStatus.Cancelled, end.Status);
        var trials = await AllTrials(service.Store, id);
        Assert.DoesNotContain(trials, t => t.Status is TrialStatus.Pending or TrialStatus.Running);
        Assert.Contains(trials, t => t.Status == TrialStatus.Cancelled);
        Assert.True(trials.Count(t => t.Status == TrialStatus.Completed) >= later.Completed + 4);
    }
}
