using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;
using Xunit.Abstractions;

namespace AutoCompress.Search.Tests;

public class ReinforceTests(ITestOutputHelper output)
{
    private static readonly SearchSpace Space = Support.Categorical();

    [Fact]
    public void Reinforce_finds_more_matching_positions_than_random_search()
    {
        const int seeds = 20, trials = 300;
        var reinforce = Enumerable.Range(1, seeds).Select(s => RegularizedEvolutionTests.BestFound(Reinforce.Name, s, trials)).ToList();
        var random = Enumerable.Range(1, seeds).Select(s => RegularizedEvolutionTests.BestFound("random", s, trials)).ToList();
        output.WriteLine($"best of 6 after {trials} trials: reinforce {reinforce.Average():F2} (all 6 in {reinforce.Count(b => b == 6)}/{seeds}), random {random.Average():F2}");
        Assert.True(reinforce.Average() >= random.Average() + 1, $"reinforce {reinforce.Average():F2} vs random {random.Average():F2}");
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void The_policy_moves_towards_the_rewarded_choices(string optimizer)
    {
        var target = Support.Target(4);
        var s = new Reinforce(Support.Context(Space, 4, Support.Json($$"""{"optimizer": "{{optimizer}}", "learning_rate": {{(optimizer == "adam" ? 0.05 : 0.5)}}}""")));
        var before = s.Probabilities.Select((p, i) => p[Array.IndexOf(Support.Letters, target[i])]).Average();
        var driver = new Driver(c => new Dictionary<string, double> { ["acc"] = Support.Matches(c, target) }, 1, 4);
        driver.Run(s, 300, Space);
        var after = s.Probabilities.Select((p, i) => p[Array.IndexOf(Support.Letters, target[i])]).Average();
        output.WriteLine($"{optimizer}: mean probability of the target choice {before:F3} -> {after:F3}");
        Assert.InRange(before, 0.19, 0.21);
        Assert.True(after > 0.5, $"{after}");
        foreach (var p in s.Probabilities) Assert.Equal(1, p.Sum(), 9);
    }

    [Fact]
    public void Numeric_parameters_are_discretized_and_values_map_to_the_nearest_bin()
    {
        var space = Support.Mixed();
        var width = PolicyDimension.For(space["width"], 5); // log-scale 8..512: centres of 5 equal bins of [ln 7.5, ln 512.5]
        Assert.Equal(5, width.Values.Count);
        Assert.Equal(new long[] { 11, 27, 62, 144, 336 }, width.Values.Select(v => v.GetValue<long>()));
        Assert.Equal(2, width.ActionOf(JsonValue.Create(70L)));
        Assert.Equal(4, width.ActionOf(JsonValue.Create(512L)));
        Assert.Equal(-1, width.ActionOf(JsonValue.Create(1000L)));
        var bits = PolicyDimension.For(space["bits"], 10); // 7 integers: one value each
        Assert.Equal(new long[] { 2, 3, 4, 5, 6, 7, 8 }, bits.Values.Select(v => v.GetValue<long>()));
        var ratio = PolicyDimension.For(space["ratio"], 4);
        Assert.Equal(new[] { 0.2, 0.4, 0.6, 0.8 }, ratio.Values.Select(v => Math.Round(v.GetValue<double>(), 12)));
        Assert.Equal(0, ratio.ActionOf(JsonValue.Create(0.1)));
        Assert.Equal(3, ratio.ActionOf(JsonValue.Create(0.75)));
    }

    [Fact]
    public void Configurations_of_a_conditional_space_are_legal()
    {
        var space = Support.Mixed();
        var s = new Reinforce(Support.Context(space, 2));
        foreach (var suggestion in s.Ask(200)) space.Check(suggestion.Config);
    }

    [Fact]
    public void The_baseline_is_a_bias_corrected_moving_average_updated_before_the_advantage()
    {
        var s = new Reinforce(Support.Context(Space, 1, Support.Json("""{"momentum": 0.5}""")));
        var configs = s.Ask(2);
        s.Tell(new Observation(1, configs[0].Config, 1, new Dictionary<string, double> { ["acc"] = 4 }));
        Assert.Equal(4, s.Baseline, 12);
        var logits = s.Probabilities; // advantage 0 on the first result: nothing moves
        Assert.All(logits, p => Assert.All(p, x => Assert.InRange(x, 0.19, 0.21)));
        s.Tell(new Observation(2, configs[1].Config, 1, new Dictionary<string, double> { ["acc"] = 1 }));
        Assert.Equal((0.25 * 4 + 0.5 * 1) / 0.75, s.Baseline, 12);
    }

    [Fact]
    public void An_unknown_optimizer_is_refused()
    {
        var e = Assert.Throws<SearchSpaceException>(() => new Reinforce(Support.Context(Space, 1, Support.Json("""{"optimizer": "rmsprop"}"""))));
        Assert.Contains("'optimizer' must be one of adam, sgd", e.Message, StringComparison.Ordinal);
    }
}
