using System.Globalization;
using AutoCompress.Orchestrator.Scheduling;
using Xunit.Abstractions;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>
/// ASHA against the brute-force baseline (every configuration evaluated at R) on seeded synthetic learning curves:
/// the quality of what it finds and the resource it spends. Every number is deterministic under the seeds; trials
/// are charged their full resource (no warm start from the parent), the conservative accounting.
/// </summary>
public sealed class AshaSimulationTests(ITestOutputHelper output)
{
    private const int Configurations = 243; // 3^5
    private const double MaxResource = 81;   // rungs 1, 3, 9, 27, 81
    private const double BaselineResource = Configurations * MaxResource;

    private sealed record Outcome(int Rank, double Ratio, double WarmRatio, int Trials, int ReachedTop, string Rungs, int BaselineRank);

    private static Outcome Run(int seed)
    {
        var curves = new LearningCurves(seed, Configurations, MaxResource);
        var asha = new AsynchronousSuccessiveHalving(new AshaOptions
        {
            Direction = OptimizationDirection.Maximize, MinResource = 1, MaxResource = MaxResource, Eta = 3, MaxConfigurations = Configurations,
        });
        var sim = new WorkerSimulation(asha, workers: 8, j => curves.Observe(j), curves.Duration).RunToEnd();
        Assert.True(sim.Finished);
        var baselineBest = Enumerable.Range(1, Configurations).MaxBy(id => curves.Observe(new FidelityJob(id, id, 4, MaxResource, null, null)));
        return new Outcome(curves.RankAtMax(asha.Best!.ConfigurationId), sim.Resource / BaselineResource, sim.WarmStartResource / BaselineResource,
            sim.Issued.Count, asha.ReachedTop.Count, string.Join("/", asha.Rungs.Select(r => r.Trials.Count)), curves.RankAtMax(baselineBest));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Asha_finds_a_top_5_percent_configuration_with_a_fraction_of_the_resource(int seed)
    {
        var o = Run(seed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: true rank of ASHA's best {o.Rank} of {Configurations} (baseline's {o.BaselineRank}); resource {o.Ratio:P1} of the baseline " +
            $"({o.WarmRatio:P1} warm-started); {o.Trials} trials, rungs {o.Rungs}, {o.ReachedTop} reached R"));
        Assert.True(o.Rank < Configurations * 0.05, $"the configuration found ranks {o.Rank} of {Configurations}");
        Assert.True(o.Ratio < 0.12, $"ASHA used {o.Ratio:P1} of the baseline's resource");
        Assert.InRange(o.ReachedTop, 3, 12);
    }

    [Fact]
    public void Over_forty_seeds_asha_is_nearly_always_in_the_top_5_percent_at_under_a_tenth_of_the_cost()
    {
        var outcomes = Enumerable.Range(1, 40).Select(Run).ToList();
        var inTop = outcomes.Count(o => o.Rank < Configurations * 0.05);
        var meanRatio = outcomes.Average(o => o.Ratio);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"top 5%: {inTop}/40; rank mean {outcomes.Average(o => o.Rank):F2} max {outcomes.Max(o => o.Rank)} (baseline mean {outcomes.Average(o => o.BaselineRank):F2}); " +
            $"resource mean {meanRatio:P1} max {outcomes.Max(o => o.Ratio):P1}, warm-started mean {outcomes.Average(o => o.WarmRatio):P1}"));
        Assert.True(inTop >= 38, $"{inTop} of 40 runs found a top-5% configuration");
        Assert.True(outcomes.Average(o => o.Rank) < 4, "mean rank");
        Assert.True(meanRatio < 1.0 / 10, $"mean resource {meanRatio:P1}");
        Assert.True(outcomes.Max(o => o.Ratio) < 0.15, "max resource");
    }
}
