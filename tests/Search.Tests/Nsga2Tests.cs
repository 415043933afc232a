using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Middleware;
using AutoCompress.Search.Objectives;
using AutoCompress.Search.Strategies;
using Xunit.Abstractions;

namespace AutoCompress.Search.Tests;

public class Nsga2Tests(ITestOutputHelper output)
{
    private static readonly Objective F1 = new("f1", Direction.Minimize);
    private static readonly Objective F2 = new("f2", Direction.Minimize);

    /// <summary>ZDT1 (Zitzler, Deb, Thiele 2000) over 5 variables, each discretized to 0, 0.1, ..., 1.</summary>
    private static readonly SearchSpace Zdt1Space = new(Enumerable.Range(0, 5)
        .Select(i => (Parameter)new IntegerParameter { Name = $"x{i}", Low = 0, High = 10 }).ToList());

    private static Dictionary<string, double> Zdt1(JsonObject c)
    {
        var x = Enumerable.Range(0, 5).Select(i => c[$"x{i}"]!.GetValue<long>() / 10.0).ToArray();
        var g = 1 + 9 * x.Skip(1).Sum() / 4;
        return new() { ["f1"] = x[0], ["f2"] = g * (1 - Math.Sqrt(x[0] / g)) };
    }

    private static readonly Dictionary<string, double> Reference = new() { ["f1"] = 1.1, ["f2"] = 1.1 };

    /// <summary>The true front: x0 on its 11 levels, all other variables 0 (g = 1).</summary>
    private static double TrueHypervolume()
    {
        var front = new ParetoFront([F1, F2]);
        for (var k = 0; k <= 10; k++) front.Add(k, new Dictionary<string, double> { ["f1"] = k / 10.0, ["f2"] = 1 - Math.Sqrt(k / 10.0) });
        Assert.Equal(11, front.Front.Count);
        return front.Hypervolume(Reference);
    }

    private static double Run(string strategy, long seed, int trials)
    {
        var context = Support.Context(Zdt1Space, seed, null, F1, F2);
        var s = MiddlewareBuilder.Compose(new StrategyCatalog().Create(strategy, context), context, Support.Json("""{"dedup": true}"""));
        var driver = new Driver(Zdt1, parallel: 4, seed);
        driver.Run(s, trials, Zdt1Space);
        var front = new ParetoFront([F1, F2]);
        for (var i = 0; i < driver.Results.Count; i++) front.Add(i, driver.Results[i].Metrics);
        return front.Hypervolume(Reference);
    }

    [Fact]
    public void On_a_discretized_zdt1_the_front_nearly_reaches_the_true_hypervolume()
    {
        var truth = TrueHypervolume();
        var nsga = Enumerable.Range(1, 5).Select(s => Run(Nsga2.Name, s, 1000) / truth).ToList();
        var random = Enumerable.Range(1, 5).Select(s => Run("random", s, 1000) / truth).ToList();
        output.WriteLine($"true hypervolume {truth:F4}; fraction reached after 1000 trials: nsga2 {nsga.Average():F4} (min {nsga.Min():F4}), random {random.Average():F4}");
        Assert.All(nsga, f => Assert.InRange(f, 0.97, 1 + 1e-12));
        Assert.True(nsga.Min() > random.Max());
    }

    [Fact]
    public void Environmental_selection_keeps_feasible_results_first_then_the_smallest_violations()
    {
        var space = Support.Categorical();
        var s = new Nsga2(Support.Context(space, 1, Support.Json("""{"population_size": 4, "constraints": [{"metric": "latency", "max": 10}]}"""), F1));
        var configs = s.Ask(8);
        // (f1, latency): indices 1-3 feasible, 4-8 infeasible with violations 0.1 .. 0.5 (in shuffled order)
        double[][] results = [[5, 9], [1, 10], [3, 2], [0, 13], [0, 11], [0, 15], [0, 12], [0, 14]];
        for (var i = 0; i < 8; i++)
            s.Tell(new Observation(i + 1, configs[i].Config, 1, new Dictionary<string, double> { ["f1"] = results[i][0], ["latency"] = results[i][1] }));
        Assert.Equal(2, s.Generation); // a selection after every 4 results
        Assert.Equal(new long[] { 1, 2, 3, 5 }, s.Population.Order());
    }

    [Fact]
    public void With_constraints_the_final_population_is_feasible_and_non_dominated()
    {
        // Minimise f1 and f2 of ZDT1 subject to f1 >= 0.5: the feasible front is the right half of the true front.
        var context = Support.Context(Zdt1Space, 3, Support.Json("""{"population_size": 12, "constraints": [{"metric": "f1", "min": 0.5}]}"""), F1, F2);
        var s = new Nsga2(context);
        var driver = new Driver(Zdt1, parallel: 3, 3);
        driver.Run(MiddlewareBuilder.Compose(s, context, Support.Json("""{"dedup": true}""")), 600, Zdt1Space);
        var results = driver.Results.Select((r, i) => (Index: (long)i + 1, r.Metrics)).ToList();
        Assert.Contains(results, r => r.Metrics!["f1"] < 0.5); // the random start did try infeasible ones
        var constrained = new ParetoFront([F1, F2], new ConstraintSet([new Constraint("f1", Min: 0.5)]));
        foreach (var (i, m) in results) constrained.Add(i, m);
        Assert.All(constrained.Front, p => Assert.True(p.Metrics["f1"] >= 0.5));
        Assert.True(constrained.Front.Count >= 5, $"{constrained.Front.Count} points on the feasible front");
        Assert.All(constrained.Front, p => Assert.Equal(1 - Math.Sqrt(p.Metrics["f1"]), p.Metrics["f2"], 9)); // on the true front
    }

    [Fact]
    public void A_feasible_result_missing_an_objective_takes_no_part_in_selection()
    {
        var s = new Nsga2(Support.Context(Support.Categorical(), 1, Support.Json("""{"population_size": 2}"""), F1, F2));
        var configs = s.Ask(2);
        s.Tell(new Observation(1, configs[0].Config, 1, new Dictionary<string, double> { ["f1"] = 1 }));
        s.Tell(new Observation(2, configs[1].Config, 1, new Dictionary<string, double> { ["f1"] = 1, ["f2"] = 2 }));
        Assert.Equal(new long[] { 2 }, s.Population);
    }

    [Fact]
    public void Offspring_of_a_conditional_space_are_legal()
    {
        var space = Support.Mixed();
        var context = Support.Context(space, 5, Support.Json("""{"population_size": 8}"""), new Objective("acc", Direction.Maximize), new Objective("latency", Direction.Minimize));
        var driver = new Driver(Support.MixedMetrics, 2, 5);
        driver.Run(new Nsga2(context), 200, space); // the driver checks every suggestion against the space
        Assert.Equal(200, driver.Results.Count);
    }

    [Fact]
    public void A_bad_constraint_is_refused_with_its_problem_named()
    {
        var e = Assert.Throws<SearchSpaceException>(() => new Nsga2(Support.Context(Support.Categorical(), 1,
            Support.Json("""{"constraints": [{"metric": "latency", "below": 3}]}"""), F1, F2)));
        Assert.Contains("unknown option 'below'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<SearchSpaceException>(() => new Nsga2(Support.Context(Support.Categorical(), 1,
            Support.Json("""{"constraints": [{"metric": "latency"}]}"""), F1, F2)));
        Assert.Contains("needs 'min' or 'max'", e.Message, StringComparison.Ordinal);
    }
}
