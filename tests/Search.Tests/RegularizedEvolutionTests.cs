using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;
using Xunit.Abstractions;

namespace AutoCompress.Search.Tests;

public class RegularizedEvolutionTests(ITestOutputHelper output)
{
    private static readonly SearchSpace Space = Support.Categorical();

    /// <summary>The best number of matching positions found within <paramref name="trials"/> trials.</summary>
    internal static double BestFound(string strategy, long seed, int trials, string options = "{}")
    {
        var target = Support.Target(seed);
        var s = new StrategyCatalog().Create(strategy, Support.Context(Space, seed, Support.Json(options)));
        var driver = new Driver(c => new Dictionary<string, double> { ["acc"] = Support.Matches(c, target) }, parallel: 1, seed);
        driver.Run(s, trials, Space);
        return driver.Results.Max(r => r.Metrics!["acc"]);
    }

    [Fact]
    public void Evolution_finds_more_matching_positions_than_random_search()
    {
        const int seeds = 20, trials = 150;
        var evolution = Enumerable.Range(1, seeds).Select(s => BestFound(RegularizedEvolution.Name, s, trials)).ToList();
        var random = Enumerable.Range(1, seeds).Select(s => BestFound("random", s, trials)).ToList();
        output.WriteLine($"best of 6 after {trials} trials: evolution {evolution.Average():F2} (all 6 in {evolution.Count(b => b == 6)}/{seeds}), random {random.Average():F2}");
        Assert.True(evolution.Average() >= random.Average() + 1.5, $"evolution {evolution.Average():F2} vs random {random.Average():F2}");
        Assert.True(evolution.Count(b => b == 6) >= seeds / 2);
    }

    [Fact]
    public void The_first_population_is_random_then_every_child_is_one_mutation_of_a_member()
    {
        var s = new RegularizedEvolution(Support.Context(Space, 3, Support.Json("""{"population_size": 5, "sample_size": 2}""")));
        var first = s.Ask(5);
        long index = 0;
        foreach (var f in first) s.Tell(new Observation(++index, f.Config, 1, new Dictionary<string, double> { ["acc"] = index }));
        index = 5;
        for (var round = 0; round < 20; round++)
        {
            var members = s.Population.Select(m => m.Config).ToList();
            var children = s.Ask(3); // asynchronous: three children before any of them is told
            Assert.Equal(3, children.Count);
            foreach (var child in children)
                Assert.Contains(members, m => Differences(m, child.Config) == 1);
            foreach (var child in children) s.Tell(new Observation(++index, child.Config, 1, new Dictionary<string, double> { ["acc"] = round }));
            Assert.Equal(5, s.Population.Count);
        }
    }

    private static int Differences(JsonObject a, JsonObject b) =>
        a.Count(kv => !JsonNode.DeepEquals(kv.Value, b[kv.Key]));

    [Fact]
    public void The_oldest_member_dies_whatever_its_fitness_and_failures_do_not_join()
    {
        var s = new RegularizedEvolution(Support.Context(Space, 1, Support.Json("""{"population_size": 3, "sample_size": 2}""")));
        var configs = s.Ask(6);
        double[] scores = [100, 1, 2, 3];
        for (var i = 0; i < 4; i++) s.Tell(new Observation(i + 1, configs[i].Config, 1, new Dictionary<string, double> { ["acc"] = scores[i] }));
        Assert.Equal(new long[] { 2, 3, 4 }, s.Population.Select(m => m.Index));
        s.Tell(new Observation(5, configs[4].Config, 1, null, "out of memory"));
        s.Tell(new Observation(6, configs[5].Config, 1, new Dictionary<string, double> { ["other"] = 1 }));
        Assert.Equal(new long[] { 2, 3, 4 }, s.Population.Select(m => m.Index));
    }

    [Fact]
    public void Ask_keeps_drawing_at_random_while_no_result_has_arrived()
    {
        var s = new RegularizedEvolution(Support.Context(Space, 1, Support.Json("""{"population_size": 4, "sample_size": 2}""")));
        Assert.Equal(40, s.Ask(40).Select(x => Space.Canonical(x.Config)).Count());
        Assert.Empty(s.Population);
    }

    [Theory]
    [InlineData("""{"population_size": 10, "tournament": 3}""", "unknown option 'tournament'")]
    [InlineData("""{"population_size": 5, "sample_size": 6}""", "'sample_size' (6) cannot exceed 'population_size' (5)")]
    [InlineData("""{"population_size": 1}""", "'population_size' must be in [2")]
    [InlineData("""{"population_size": 10.5}""", "'population_size' must be an integer")]
    [InlineData("""{"sample_size": "three"}""", "'sample_size' must be a number")]
    public void Bad_options_are_refused_with_the_option_named(string options, string message)
    {
        var e = Assert.Throws<SearchSpaceException>(() => new RegularizedEvolution(Support.Context(Space, 1, Support.Json(options))));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_created_in_memory_are_read_like_parsed_ones()
    {
        var s = new RegularizedEvolution(Support.Context(Space, 1, new JsonObject { ["population_size"] = 7, ["sample_size"] = 2 }));
        Assert.Equal(7, s.PopulationSize);
    }

    [Fact]
    public void Several_objectives_are_refused()
    {
        var context = Support.Context(Space, 1, null, new Objective("acc", Direction.Maximize), new Objective("latency", Direction.Minimize));
        var e = Assert.Throws<SearchSpaceException>(() => new RegularizedEvolution(context));
        Assert.Contains("exactly one objective", e.Message, StringComparison.Ordinal);
    }
}
