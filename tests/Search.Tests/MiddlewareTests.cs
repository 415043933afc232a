using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Middleware;
using AutoCompress.Search.Objectives;
using AutoCompress.Search.Strategies;
using static AutoCompress.Search.Tests.ScriptedStrategy;

namespace AutoCompress.Search.Tests;

public class MiddlewareTests
{
    private static readonly SearchSpace OneParameter = Support.Categorical(1, 5);
    private static readonly Objective Acc = new("acc", Direction.Maximize);

    private static Dictionary<string, double> M(double acc) => new() { ["acc"] = acc };

    private static string P0(Suggestion s) => s.Config["p0"]!.GetValue<string>();

    [Fact]
    public void Dedup_skips_repeats_and_tells_the_inner_strategy_the_earlier_result()
    {
        var inner = new ScriptedStrategy(S("a"), S("b"), S("a"), S("c"), S("b"), S("d"));
        var dedup = new Deduplication(inner, OneParameter, 1);
        var first = dedup.Ask(3);
        Assert.Equal(["a", "b", "c"], first.Select(P0));
        Assert.Empty(inner.Told); // the repeat of "a" (inner suggestion 3) waits for the result of "a"
        dedup.Tell(new Observation(1, first[0].Config, 1, M(0.7)));
        Assert.Equal([(1L, 0.7), (3L, 0.7)], inner.Told.Select(o => (o.Index, o.Metrics!["acc"])));
        dedup.Tell(new Observation(2, first[1].Config, 1, null, "crashed"));
        var second = dedup.Ask(1); // inner suggests "b" again (told at once, as the failure it was) and then "d"
        Assert.Equal(["d"], second.Select(P0));
        Assert.Equal((5L, true, "crashed"), (inner.Told[^1].Index, inner.Told[^1].Failed, inner.Told[^1].Error));
        Assert.Equal(2, dedup.Duplicates);
        var e = Assert.Throws<ArgumentException>(() => dedup.Tell(new Observation(9, first[0].Config, 1, M(1))));
        Assert.Contains("observation 9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dedup_treats_another_fidelity_as_another_trial_and_translates_parents()
    {
        var inner = new ScriptedStrategy(S("a"), S("a"), S("b"), S("a", 3, parent: 1), S("b", 3, parent: 3));
        var dedup = new Deduplication(inner, OneParameter, 1);
        var s = dedup.Ask(4);
        Assert.Equal(["a", "b", "a", "b"], s.Select(P0));
        Assert.Equal([null, null, 1L, 2L], s.Select(x => x.ParentIndex)); // inner 3 ("b") is outer 2
        Assert.Equal([1.0, 1, 3, 3], s.Select(x => x.Fidelity));
    }

    [Fact]
    public void Dedup_falls_back_to_unseen_random_configurations_and_finishes_when_the_space_is_exhausted()
    {
        var inner = new ScriptedStrategy(S("c")); // a converged strategy: always "c"
        var dedup = new Deduplication(inner, OneParameter, 3, maxRetries: 2);
        var all = new List<string>();
        for (var round = 0; round < 4 && !dedup.IsFinished; round++)
            foreach (var s in dedup.Ask(2))
            {
                all.Add(P0(s));
                dedup.Tell(new Observation(all.Count, s.Config, 1, M(round)));
            }
        Assert.Equal(5, all.Count);
        Assert.Equal(Support.Letters.Order(), all.Order());
        Assert.Equal("c", all[0]);
        Assert.True(dedup.IsFinished);
        Assert.Equal(4, dedup.Fallbacks);
        // Only its own "c" and its repeats of "c" reach it, never the fallbacks' results.
        Assert.Equal(dedup.Duplicates + 1, inner.Told.Count);
        Assert.All(inner.Told, o => Assert.Equal("c", o.Config["p0"]!.GetValue<string>()));
        Assert.Empty(dedup.Ask(2));
    }

    [Fact]
    public void Dedup_around_evolution_never_repeats_a_configuration()
    {
        var space = Support.Categorical(3, 4); // 64 configurations
        var context = Support.Context(space, 2, Support.Json("""{"population_size": 5, "sample_size": 3}"""));
        var target = Support.Target(2, 3, 4);
        var driver = new Driver(c => M(Support.Matches(c, target)), 3, 2);
        var dedup = new Deduplication(new RegularizedEvolution(context), space, 2);
        driver.Run(dedup, 100, space);
        Assert.Equal(64, driver.Suggested.Count);
        Assert.Equal(64, driver.Suggested.Distinct().Count());
        Assert.True(dedup.IsFinished);
        Assert.True(dedup.Duplicates > 0);
    }

    [Fact]
    public void Failure_penalty_tells_failures_as_the_worst_value_seen()
    {
        var inner = new ScriptedStrategy(S("a"));
        var latency = new Objective("latency", Direction.Minimize);
        var penalty = new FailurePenalty(inner, [Acc, latency]);
        var cfg = new JsonObject { ["p0"] = "a" };
        penalty.Tell(new Observation(1, cfg, 1, null, "out of memory")); // nothing seen yet: waits
        Assert.Empty(inner.Told);
        penalty.Tell(new Observation(2, cfg, 1, new Dictionary<string, double> { ["acc"] = 0.6, ["latency"] = 3 }));
        Assert.Equal([2L, 1L], inner.Told.Select(o => o.Index));
        Assert.Equal((0.6, 3.0, "out of memory"), (inner.Told[1].Metrics!["acc"], inner.Told[1].Metrics!["latency"], inner.Told[1].Error));
        penalty.Tell(new Observation(3, cfg, 1, new Dictionary<string, double> { ["acc"] = 0.8, ["latency"] = 9 }));
        penalty.Tell(new Observation(4, cfg, 1, new Dictionary<string, double> { ["acc"] = 0.4, ["latency"] = 1 }));
        penalty.Tell(new Observation(5, cfg, 1, null, "diverged"));
        Assert.Equal((0.4, 9.0), (inner.Told[^1].Metrics!["acc"], inner.Told[^1].Metrics!["latency"]));
        penalty.Tell(new Observation(6, cfg, 1, new Dictionary<string, double> { ["acc"] = 0.9 })); // missing latency: filled
        Assert.Equal((0.9, 9.0), (inner.Told[^1].Metrics!["acc"], inner.Told[^1].Metrics!["latency"]));
        Assert.Equal(3, penalty.Penalised);
    }

    [Fact]
    public void Failure_penalty_uses_a_configured_penalty_at_once()
    {
        var inner = new ScriptedStrategy(S("a"));
        var penalty = new FailurePenalty(inner, [Acc], new Dictionary<string, double> { ["acc"] = -1 });
        penalty.Tell(new Observation(1, new JsonObject { ["p0"] = "a" }, 1, null, "x"));
        Assert.Equal(-1, inner.Told.Single().Metrics!["acc"]);
        Assert.Throws<SearchSpaceException>(() => new FailurePenalty(inner, [Acc], new Dictionary<string, double> { ["latency"] = 1 }));
    }

    private static IReadOnlyDictionary<string, double> Cost(JsonObject c) =>
        new Dictionary<string, double> { ["latency"] = Array.IndexOf(Support.Letters, c["p0"]!.GetValue<string>()) * 2.0 };

    [Fact]
    public void Constraint_filter_does_not_run_infeasible_suggestions_and_tells_them_back_as_infeasible()
    {
        var inner = new ScriptedStrategy(S("a"), S("e"), S("b"), S("d"), S("c"));
        var filter = new ConstraintFilter(inner, OneParameter, new ConstraintSet([new Constraint("latency", Max: 4)]), Cost, 1);
        var s = filter.Ask(3); // latency a 0, e 8 (rejected), b 2, d 6 (rejected), c 4
        Assert.Equal(["a", "b", "c"], s.Select(P0));
        Assert.Equal(2, filter.Rejected);
        Assert.Equal([2L, 4L], inner.Told.Select(o => o.Index));
        var rejected = inner.Told[0];
        Assert.False(rejected.Failed);
        Assert.Equal(8, rejected.Metrics!["latency"]);
        Assert.Equal(1, rejected.Metrics[ConstraintSet.ViolationMetric], 12);
        Assert.Contains("latency = 8 > 4", rejected.Error, StringComparison.Ordinal);
        filter.Tell(new Observation(3, s[2].Config, 1, M(0.5)));
        Assert.Equal(5, inner.Told[^1].Index); // outer 3 is inner 5
    }

    [Fact]
    public void Constraint_filter_falls_back_to_feasible_random_configurations()
    {
        var inner = new ScriptedStrategy(S("e"));
        var filter = new ConstraintFilter(inner, OneParameter, new ConstraintSet([new Constraint("latency", Max: 2)]), Cost, 1, maxRetries: 3);
        var s = filter.Ask(4);
        Assert.Equal(4, s.Count);
        Assert.All(s, x => Assert.Contains(P0(x), new[] { "a", "b" }));
        Assert.Equal(4, filter.Fallbacks);
        Assert.Equal(16, inner.Told.Count); // 4 rounds (the first and 3 retries) of 4 rejected "e"s, each told back
        filter.Tell(new Observation(1, s[0].Config, 1, M(1)));
        Assert.Equal(16, inner.Told.Count); // a fallback's result is not the inner strategy's
    }

    [Fact]
    public void Median_stopping_stops_a_trial_below_the_median_of_completed_running_averages()
    {
        var median = new MedianStopping(new ScriptedStrategy(S("a")), Acc, minTrials: 3);
        var cfg = new JsonObject { ["p0"] = "a" };
        double[][] curves = [[0.5, 0.6, 0.7], [0.3, 0.4, 0.5], [0.6, 0.7, 0.8]];
        for (var t = 0; t < 3; t++)
        {
            Assert.False(median.ShouldStop(t + 1, 1, curves[t][0])); // fewer than 3 completed trials: never stop
            Assert.False(median.ShouldStop(t + 1, 2, curves[t][1]));
            median.Tell(new Observation(t + 1, cfg, 3, M(curves[t][2])));
        }
        // Running averages at fidelity 1: 0.5, 0.3, 0.6 (median 0.5); up to 2: 0.55, 0.35, 0.65 (median 0.55).
        Assert.False(median.ShouldStop(4, 1, 0.5));  // not strictly below 0.5
        Assert.True(median.ShouldStop(4, 2, 0.52));  // its best so far, 0.52, is below 0.55
        Assert.False(median.ShouldStop(5, 1, 0.7));
        Assert.False(median.ShouldStop(5, 2, 0.5));  // its best so far is still 0.7
        Assert.Equal([4L], median.Stopped);
        median.Tell(new Observation(4, cfg, 2, M(0.52))); // a stopped trial does not join the completed ones
        median.Tell(new Observation(5, cfg, 3, M(0.9)));
        // Completed up to 1: 0.5, 0.3, 0.6, 0.7 -> median 0.55.
        Assert.True(median.ShouldStop(6, 1, 0.54));
        Assert.Equal(0.55, MedianStopping.Median([0.5, 0.3, 0.6, 0.7]), 12);
    }

    [Fact]
    public void Median_stopping_resumes_with_its_reports()
    {
        MedianStopping Make() => new(new ScriptedStrategy(S("a")), Acc, minTrials: 2);
        var cfg = new JsonObject { ["p0"] = "a" };
        var a = Make();
        for (var t = 1; t <= 3; t++)
        {
            a.ShouldStop(t, 1, 0.1 * t);
            a.Tell(new Observation(t, cfg, 2, M(0.2 * t)));
        }
        Assert.True(a.ShouldStop(4, 1, 0.15)); // below the median 0.2 of 0.1, 0.2, 0.3
        var b = Make();
        b.RestoreState(Support.RoundTrip(a.SaveState()));
        Assert.Equal(a.SaveState().ToJsonString(), b.SaveState().ToJsonString());
        Assert.Equal([4L], b.Stopped);
        Assert.Equal(a.ShouldStop(5, 1, 0.19), b.ShouldStop(5, 1, 0.19));
        Assert.Equal(a.ShouldStop(5, 2, 0.5), b.ShouldStop(5, 2, 0.5));
    }

    [Fact]
    public void Median_stopping_waits_for_the_minimum_fidelity()
    {
        var median = new MedianStopping(new ScriptedStrategy(S("a")), Acc, minTrials: 1, minFidelity: 2);
        Assert.False(median.ShouldStop(1, 1, 0.8));
        Assert.False(median.ShouldStop(1, 2, 0.85));
        median.Tell(new Observation(1, new JsonObject { ["p0"] = "a" }, 3, M(0.9)));
        Assert.False(median.ShouldStop(2, 1, 0.1));
        Assert.True(median.ShouldStop(2, 2, 0.1));
    }

    [Fact]
    public void The_builder_stacks_the_layers_in_a_fixed_order_and_checks_the_spec()
    {
        var context = Support.Context(OneParameter, 1);
        var s = MiddlewareBuilder.Compose(new RandomSearch(context), context, Support.Json(
            """{"failure_penalty": true, "dedup": {"max_retries": 3}, "median_stopping": {"min_trials": 5}, "constraint_filter": {"constraints": [{"metric": "latency", "max": 4}]}, "reward": {"type": "amc", "accuracy": "acc"}}"""),
            Cost);
        var kinds = new List<string>();
        for (var layer = s; layer is StrategyMiddleware m; layer = m.Inner) kinds.Add(m.Kind);
        Assert.Equal(["reward", "median_stopping", "dedup", "constraint_filter", "failure_penalty"], kinds);
        Assert.Equal(5, StrategyMiddleware.Find<MedianStopping>(s)!.MinTrials);
        Assert.Equal(3, StrategyMiddleware.Find<Deduplication>(s)!.MaxRetries);
        Assert.IsType<RandomSearch>(StrategyMiddleware.Find<RandomSearch>(s));
        Assert.Same(s, MiddlewareBuilder.Compose(s, context, Support.Json("""{"dedup": false}""")));

        var e = Assert.Throws<SearchSpaceException>(() => MiddlewareBuilder.Compose(new RandomSearch(context), context, Support.Json("""{"dedupe": true}""")));
        Assert.Contains("unknown option 'dedupe'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<SearchSpaceException>(() => MiddlewareBuilder.Compose(new RandomSearch(context), context,
            Support.Json("""{"constraint_filter": {"constraints": [{"metric": "latency", "max": 4}]}}""")));
        Assert.Contains("needs a cost predictor", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<SearchSpaceException>(() => MiddlewareBuilder.Compose(new RandomSearch(context), context, Support.Json("""{"dedup": {"retries": 3}}""")));
        Assert.Contains("'dedup': unknown option 'retries'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reward_layer_adds_the_reward_before_the_strategy_sees_the_result()
    {
        var inner = new ScriptedStrategy(S("a"));
        var reward = new RewardMiddleware(inner, new MnasNetReward("acc", "latency", target: 5));
        reward.Tell(new Observation(1, new JsonObject { ["p0"] = "a" }, 1, new Dictionary<string, double> { ["acc"] = 0.8, ["latency"] = 10 }));
        Assert.Equal(0.8 * Math.Pow(2, -0.07), inner.Told[0].Metrics!["reward"], 12);
        Assert.Equal(0.8, inner.Told[0].Metrics!["acc"]);
    }
}
