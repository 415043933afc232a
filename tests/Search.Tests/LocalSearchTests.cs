using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Middleware;
using AutoCompress.Search.Strategies;
using Xunit.Abstractions;

namespace AutoCompress.Search.Tests;

public class LocalSearchTests(ITestOutputHelper output)
{
    private static readonly SearchSpace Space = Support.Categorical();

    private static LocalSearch Create(long seed, string options = "{}", SearchSpace? space = null) =>
        new(Support.Context(space ?? Space, seed, Support.Json(options)));

    private static Observation Told(long index, Suggestion s, double? acc) =>
        new(index, (JsonObject)s.Config.DeepClone(), 1, acc is { } a ? new Dictionary<string, double> { ["acc"] = a } : null, acc is null ? "failed" : null);

    private static int Differences(JsonObject a, JsonObject b) =>
        a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)).Count(k => !JsonNode.DeepEquals(a[k], b[k]));

    // ---- resume and replay, in the style of ResumeTests ----

    private sealed record Case(SearchSpace Space, Func<long, SearchStrategy> Create, Func<JsonObject, IReadOnlyDictionary<string, double>?> Evaluate, int Trials = 150);

    private static Case Get(string name)
    {
        var cat = Support.Categorical();
        var mixed = Support.Mixed();
        Func<JsonObject, IReadOnlyDictionary<string, double>?> matches = c => new Dictionary<string, double> { ["acc"] = Support.Matches(c, Support.Target(1, c.Count)) };
        SearchStrategy Make(SearchSpace space, long seed, string options = "{}", string middleware = "{}")
        {
            var context = Support.Context(space, seed, Support.Json(options));
            return MiddlewareBuilder.Compose(new StrategyCatalog().Create(LocalSearch.Name, context), context, Support.Json(middleware));
        }
        return name switch
        {
            "restart" => new(cat, s => Make(cat, s, """{"n_init": 4, "restart_samples": 3}"""), matches),
            "next_best" => new(cat, s => Make(cat, s, """{"on_local_optimum": "next_best"}"""), matches),
            "best_improvement" => new(cat, s => Make(cat, s, """{"first_improvement": false}"""), matches),
            "restart/mixed" => new(mixed, s => Make(mixed, s), Support.MixedMetrics),
            "next_best/mixed" => new(mixed, s => Make(mixed, s, """{"on_local_optimum": "next_best", "continuous_neighbours": 2}"""), Support.MixedMetrics),
            "exhausts" => new(Support.Categorical(4, 3), s => Make(Support.Categorical(4, 3), s, """{"n_init": 3}"""), matches, 100),
            "dedup+failure_penalty/mixed" => new(mixed, s => Make(mixed, s, "{}", """{"dedup": true, "failure_penalty": true}"""), Support.MixedMetrics),
            _ => throw new ArgumentException(name),
        };
    }

    public static TheoryData<string> Cases => new(
        "restart", "next_best", "best_improvement", "restart/mixed", "next_best/mixed", "exhausts", "dedup+failure_penalty/mixed");

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
    public void A_state_of_another_strategy_is_refused()
    {
        var e = Assert.Throws<SearchSpaceException>(() => Create(1).RestoreState(new RegularizedEvolution(Support.Context(Space, 1)).SaveState()));
        Assert.Contains("regularized_evolution", e.Message, StringComparison.Ordinal);
    }

    // ---- never twice ----

    [Theory]
    [InlineData("{}", 1)]
    [InlineData("""{"on_local_optimum": "next_best"}""", 4)]
    [InlineData("""{"first_improvement": false, "n_init": 2}""", 16)]
    public void It_never_suggests_a_configuration_twice_and_finishes_when_a_finite_space_is_spent(string options, int parallel)
    {
        var space = Support.Categorical(4, 3); // 81 configurations
        var target = Support.Target(3, 4, 3);
        var s = Create(3, options, space);
        var driver = new Driver(c => new Dictionary<string, double> { ["acc"] = Support.Matches(c, target) }, parallel, seed: 3);
        driver.Run(s, 200, space);
        Assert.Equal(81, driver.Suggested.Count);
        Assert.Equal(81, driver.Suggested.Distinct().Count());
        Assert.True(s.IsFinished);
        Assert.Empty(s.Ask(5));
    }

    [Fact]
    public void It_never_repeats_itself_in_a_mixed_space_with_failures()
    {
        var space = Support.Mixed();
        var driver = new Driver(Support.MixedMetrics, parallel: 3, seed: 4);
        driver.Run(Create(4, "{}", space), 400, space);
        Assert.Equal(400, driver.Suggested.Count);
        Assert.Equal(400, driver.Suggested.Distinct().Count());
        Assert.Contains(driver.Results, r => r.Metrics is null);
    }

    // ---- how it moves ----

    [Fact]
    public void After_the_initial_samples_every_suggestion_is_a_neighbour_of_the_best_result_so_far()
    {
        var target = Support.Target(7);
        var s = Create(7, """{"n_init": 5}""");
        var told = new List<(JsonObject Config, double Score)>();
        for (long i = 1; i <= 120; i++)
        {
            var best = told.Count == 0 ? null : told.OrderByDescending(t => t.Score).First().Config;
            var suggestion = s.Ask(1).Single();
            if (i > 5)
            {
                Assert.NotNull(best);
                Assert.Equal(1, Differences(best, suggestion.Config));
            }
            var score = Support.Matches(suggestion.Config, target);
            s.Tell(Told(i, suggestion, score));
            told.Add((suggestion.Config, score));
            if (score == 6) break;
        }
        Assert.Equal(6, told.Max(t => t.Score));
    }

    [Fact]
    public void At_a_local_optimum_it_restarts_with_fresh_random_samples_and_climbs_from_them()
    {
        // A flat objective: nothing beats the first sample, so its 24 neighbours end the climb.
        var s = Create(2, """{"n_init": 3, "restart_samples": 2}""");
        var all = new List<Suggestion>();
        for (long i = 1; i <= 31; i++)
        {
            var next = s.Ask(1).Single();
            all.Add(next);
            s.Tell(Told(i, next, 0));
        }
        for (var i = 3; i < 27; i++) Assert.Equal(1, Differences(all[0].Config, all[i].Config));
        Assert.Equal(1, s.Restarts);
        // 28 and 29 are the restart's random samples; 30 and 31 are neighbours of 28, the first of the new climb.
        Assert.Equal(1, Differences(all[27].Config, all[29].Config));
        Assert.Equal(1, Differences(all[27].Config, all[30].Config));
        Assert.True(JsonNode.DeepEquals(all[27].Config, s.Centre));
    }

    [Fact]
    public void With_next_best_it_continues_from_the_next_best_result_at_a_local_optimum()
    {
        // Earlier is better: the first sample is a local optimum, and the second sample is the next best result.
        var s = Create(2, """{"n_init": 3, "on_local_optimum": "next_best"}""");
        var all = new List<Suggestion>();
        for (long i = 1; i <= 28; i++)
        {
            var next = s.Ask(1).Single();
            all.Add(next);
            s.Tell(Told(i, next, -i));
        }
        Assert.Equal(1, Differences(all[0].Config, all[26].Config));
        Assert.Equal(1, Differences(all[1].Config, all[27].Config));
        Assert.Equal(0, s.Restarts);
    }

    [Fact]
    public void Failed_trials_and_results_without_the_metric_are_never_centres()
    {
        var s = Create(5, """{"n_init": 3}""");
        var first = s.Ask(3);
        s.Tell(Told(1, first[0], null));
        s.Tell(new Observation(2, first[1].Config, 1, new Dictionary<string, double> { ["other"] = 100 }));
        s.Tell(Told(3, first[2], 1));
        foreach (var n in s.Ask(10)) Assert.Equal(1, Differences(first[2].Config, n.Config));
        Assert.True(JsonNode.DeepEquals(first[2].Config, s.Centre));
    }

    [Fact]
    public void Asynchronous_asks_draw_at_random_until_a_result_arrives_then_take_neighbours_of_the_best()
    {
        var s = Create(6, """{"n_init": 2, "on_local_optimum": "next_best"}""");
        var early = s.Ask(8); // nothing told yet: all random, all different
        Assert.Equal(8, early.Select(x => Space.Canonical(x.Config)).Distinct().Count());
        Assert.Null(s.Centre);
        s.Tell(Told(3, early[2], 2));
        s.Tell(Told(5, early[4], 1));
        var more = s.Ask(30); // 24 neighbours of the best, then those of the next best that are left
        foreach (var n in more.Take(24)) Assert.Equal(1, Differences(early[2].Config, n.Config));
        foreach (var n in more.Skip(24)) Assert.Equal(1, Differences(early[4].Config, n.Config));

        // In restart mode the climb restarts instead, with results still outstanding: random samples follow.
        var r = Create(6, """{"n_init": 2, "restart_samples": 6}""");
        var first = r.Ask(8);
        r.Tell(Told(3, first[2], 2));
        var next = r.Ask(30);
        foreach (var n in next.Take(24)) Assert.Equal(1, Differences(first[2].Config, n.Config));
        Assert.Equal(1, r.Restarts);
        Assert.Contains(next.Skip(24), n => Differences(first[2].Config, n.Config) > 1);
    }

    [Fact]
    public void Local_search_finds_more_matching_positions_than_random_search()
    {
        const int seeds = 20, trials = 150;
        var local = Enumerable.Range(1, seeds).Select(s => RegularizedEvolutionTests.BestFound(LocalSearch.Name, s, trials)).ToList();
        var random = Enumerable.Range(1, seeds).Select(s => RegularizedEvolutionTests.BestFound("random", s, trials)).ToList();
        output.WriteLine($"best of 6 after {trials} trials: local search {local.Average():F2} (all 6 in {local.Count(b => b == 6)}/{seeds}), random {random.Average():F2}");
        Assert.True(local.Average() >= random.Average() + 1.5, $"local search {local.Average():F2} vs random {random.Average():F2}");
        Assert.True(local.Count(b => b == 6) >= seeds * 3 / 4);
    }

    // ---- neighbourhood ----

    [Fact]
    public void Neighbours_in_a_mixed_space_change_one_parameter_and_repair_its_dependants()
    {
        var space = Support.Mixed();
        var config = Support.Json("""{"method": "quantize", "bits": 4, "lr": 0.01, "width": 64, "k": 5}""");
        space.Check(config);
        var neighbours = Neighbourhood.Of(space, config, new SeededRandom(1), 0.1, 3);
        foreach (var n in neighbours) space.Check(n);
        Assert.Equal(neighbours.Count, neighbours.Select(space.Canonical).Distinct().Count());
        Assert.DoesNotContain(neighbours, n => space.Canonical(n) == space.Canonical(config));
        var byChange = neighbours.Where(n => n["method"]!.GetValue<string>() == "quantize").ToList();
        foreach (var n in byChange) Assert.Equal(1, Differences(config, n));
        // bits 3 and 5; width 63, 65 and a log step each way; k 3 and 7; three Gaussian steps of lr.
        Assert.Equal(new long[] { 3, 5 }, byChange.Where(n => n["bits"]!.GetValue<long>() != 4).Select(n => n["bits"]!.GetValue<long>()).Order());
        var widths = byChange.Where(n => n["width"]!.GetValue<long>() != 64).Select(n => n["width"]!.GetValue<long>()).Order().ToList();
        Assert.Equal(4, widths.Count);
        Assert.Contains(63L, widths);
        Assert.Contains(65L, widths);
        Assert.Equal(3, byChange.Count(n => n["lr"]!.GetValue<double>() != 0.01));
        Assert.Equal(2, byChange.Count(n => n["k"]!.GetValue<int>() != 5));
        // Changing the method drops bits and, for "prune", draws the newly active ratio.
        var prune = Assert.Single(neighbours, n => n["method"]!.GetValue<string>() == "prune");
        Assert.Null(prune["bits"]);
        Assert.NotNull(prune["ratio"]);
        Assert.Single(neighbours, n => n["method"]!.GetValue<string>() == "none");
    }

    // ---- options ----

    [Theory]
    [InlineData("""{"population_size": 10}""", "unknown option 'population_size'")]
    [InlineData("""{"n_init": 0}""", "'n_init' must be in [1")]
    [InlineData("""{"n_init": 2.5}""", "'n_init' must be an integer")]
    [InlineData("""{"on_local_optimum": "give_up"}""", "'on_local_optimum' must be one of restart, next_best")]
    [InlineData("""{"first_improvement": 1}""", "'first_improvement' must be true or false")]
    [InlineData("""{"neighbour_scale": 2}""", "'neighbour_scale' must be in [0, 1]")]
    [InlineData("""{"continuous_neighbours": 0}""", "'continuous_neighbours' must be in [1")]
    public void Bad_options_are_refused_with_the_option_named(string options, string message)
    {
        var e = Assert.Throws<SearchSpaceException>(() => Create(1, options));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_apply_and_in_memory_options_are_read()
    {
        Assert.Equal(LocalSearch.DefaultInit, Create(1).InitialSamples);
        Assert.Equal(7, new LocalSearch(Support.Context(Space, 1, new JsonObject { ["n_init"] = 7 })).InitialSamples);
    }

    [Fact]
    public void Several_objectives_are_refused()
    {
        var context = Support.Context(Space, 1, null, new Objective("acc", Direction.Maximize), new Objective("latency", Direction.Minimize));
        var e = Assert.Throws<SearchSpaceException>(() => new LocalSearch(context));
        Assert.Contains("exactly one objective", e.Message, StringComparison.Ordinal);
    }
}
