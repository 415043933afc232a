using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Middleware;
using AutoCompress.Search.Objectives;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Tests;

/// <summary>
/// For every strategy and middleware: the same seed replays the same search, another seed does not, and a search
/// checkpointed (through JSON text) and restored into a fresh instance continues exactly as the uninterrupted one,
/// with trials still running across the checkpoint.
/// </summary>
public class ResumeTests
{
    private sealed record Case(SearchSpace Space, Func<long, SearchStrategy> Create, Func<JsonObject, IReadOnlyDictionary<string, double>?> Evaluate, int Trials = 150);

    private static readonly Objective Acc = new("acc", Direction.Maximize);
    private static readonly Objective Latency = new("latency", Direction.Minimize);

    private static readonly Func<JsonObject, IReadOnlyDictionary<string, double>> PredictLatency =
        c => new Dictionary<string, double> { ["latency"] = c["width"]!.GetValue<long>() / 100.0 + c["k"]!.GetValue<int>() * 0.1 };

    private static readonly Func<JsonObject, IReadOnlyDictionary<string, double>?> MatchMetrics =
        c => new Dictionary<string, double> { ["acc"] = Support.Matches(c, Support.Target(1, c.Count)) };

    private static Case Get(string name)
    {
        var cat = Support.Categorical();
        var mixed = Support.Mixed();
        var catalog = new StrategyCatalog();
        SearchStrategy Make(string strategy, SearchSpace space, long seed, string options = "{}", string middleware = "{}", bool multi = false)
        {
            var context = multi ? Support.Context(space, seed, Support.Json(options), Acc, Latency) : Support.Context(space, seed, Support.Json(options));
            return MiddlewareBuilder.Compose(catalog.Create(strategy, context), context, Support.Json(middleware), PredictLatency);
        }
        return name switch
        {
            "random" => new(cat, s => Make("random", cat, s), MatchMetrics),
            "regularized_evolution" => new(cat, s => Make("regularized_evolution", cat, s, """{"population_size": 12, "sample_size": 4}"""), MatchMetrics),
            "regularized_evolution/mixed" => new(mixed, s => Make("regularized_evolution", mixed, s, """{"population_size": 10, "sample_size": 3}"""), Support.MixedMetrics),
            "nsga2/mixed" => new(mixed, s => Make("nsga2", mixed, s, """{"population_size": 12, "constraints": [{"metric": "latency", "max": 3}]}""", multi: true), Support.MixedMetrics),
            "reinforce" => new(cat, s => Make("reinforce", cat, s, """{"learning_rate": 0.1}"""), MatchMetrics),
            "reinforce/mixed" => new(mixed, s => Make("reinforce", mixed, s, """{"bins": 4}"""), Support.MixedMetrics),
            "dedup(regularized_evolution)/exhausts" => new(Support.Categorical(4, 3),
                s => Make("regularized_evolution", Support.Categorical(4, 3), s, """{"population_size": 6, "sample_size": 2}""", """{"dedup": true}"""), MatchMetrics, 100),
            "failure_penalty(reinforce)/mixed" => new(mixed, s => Make("reinforce", mixed, s, "{}", """{"failure_penalty": true}"""), Support.MixedMetrics),
            "all(regularized_evolution)/mixed" => new(mixed, s => Make("regularized_evolution", mixed, s, """{"population_size": 8, "sample_size": 3}""",
                """{"reward": {"type": "mnasnet", "accuracy": "acc", "cost": "latency", "target": 2, "name": "acc"}, "median_stopping": true, "dedup": true, "constraint_filter": {"constraints": [{"metric": "latency", "max": 3}]}, "failure_penalty": true}"""),
                Support.MixedMetrics),
            "all(nsga2)/mixed" => new(mixed, s => Make("nsga2", mixed, s, """{"population_size": 10, "constraints": [{"metric": "latency", "max": 2.5}]}""",
                """{"dedup": {"max_retries": 5}, "constraint_filter": {"constraints": [{"metric": "latency", "max": 3}]}, "failure_penalty": {"penalty": {"acc": 0}}}""",
                multi: true),
                Support.MixedMetrics),
            _ => throw new ArgumentException(name),
        };
    }

    public static TheoryData<string> Cases => new(
        "random", "regularized_evolution", "regularized_evolution/mixed", "nsga2/mixed", "reinforce", "reinforce/mixed",
        "dedup(regularized_evolution)/exhausts", "failure_penalty(reinforce)/mixed", "all(regularized_evolution)/mixed", "all(nsga2)/mixed");

    private static (Driver Driver, SearchStrategy Strategy) Uninterrupted(Case c, long seed)
    {
        var driver = new Driver(c.Evaluate, parallel: 4, seed: 99);
        var strategy = c.Create(seed);
        driver.Run(strategy, c.Trials, c.Space);
        return (driver, strategy);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Same_seed_replays_the_same_search_and_another_seed_does_not(string name)
    {
        var c = Get(name);
        var (a, _) = Uninterrupted(c, 5);
        var (b, _) = Uninterrupted(c, 5);
        var (other, _) = Uninterrupted(c, 6);
        Assert.Equal(a.Suggested, b.Suggested);
        Assert.NotEqual(a.Suggested, other.Suggested);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Restoring_a_checkpoint_continues_exactly_as_the_uninterrupted_run(string name)
    {
        var c = Get(name);
        var (expected, expectedStrategy) = Uninterrupted(c, 11);
        Assert.True(expected.Suggested.Count >= 60, $"{name}: only {expected.Suggested.Count} suggestions");

        var driver = new Driver(c.Evaluate, parallel: 4, seed: 99);
        var strategy = c.Create(11);
        foreach (var stop in new[] { 1, 7, 23, 48, 71, 100, 133 })
        {
            driver.Run(strategy, c.Trials, c.Space, Math.Min(stop, c.Trials));
            var state = Support.RoundTrip(strategy.SaveState());
            strategy = c.Create(11);
            strategy.RestoreState(state);
            Assert.Equal(state.ToJsonString(), strategy.SaveState().ToJsonString());
        }
        driver.Run(strategy, c.Trials, c.Space);

        Assert.Equal(expected.Suggested, driver.Suggested);
        Assert.Equal(expectedStrategy.SaveState().ToJsonString(), strategy.SaveState().ToJsonString());
        Assert.Equal(expectedStrategy.IsFinished, strategy.IsFinished);
    }

    [Fact]
    public void A_state_of_another_strategy_or_middleware_is_refused()
    {
        var context = Support.Context(Support.Categorical(), 1);
        var evolution = new RegularizedEvolution(context);
        var reinforce = new Reinforce(context);
        var e = Assert.Throws<SearchSpaceException>(() => evolution.RestoreState(reinforce.SaveState()));
        Assert.Contains("reinforce", e.Message, StringComparison.Ordinal);
        var dedup = new Deduplication(new RandomSearch(context), context.Space, 1);
        var penalty = new FailurePenalty(new RandomSearch(context), context.Objectives);
        Assert.Throws<SearchSpaceException>(() => dedup.RestoreState(penalty.SaveState()));
    }
}
