using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.Latency;
using AutoCompress.Search.Spaces;

namespace AutoCompress.CostModels.Latency.Tests;

public sealed class LatencyLutTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-lut-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static ModelGraph Small(int channels = 8, int size = 8) => ModelGraph.Build(new ModelDescription
    {
        InputShape = [3, size, size],
        Layers =
        [
            new Conv2dLayer { Id = "c1", OutChannels = channels, Kernel = 3 },
            new BatchNormLayer { Id = "bn" },
            new ActivationLayer { Id = "r" },
            new PoolLayer { Id = "p", Kind = PoolKind.Avg, Kernel = 3, Stride = 1, Padding = 1 },
            new AddLayer { Id = "sum", Inputs = ["r", "p"] },
            new AdaptiveAvgPoolLayer { Id = "gap" },
            new FlattenLayer { Id = "f" },
            new LinearLayer { Id = "fc", OutFeatures = 10 },
        ],
    });

    private static LatencyProfiler Quick() => new(threads: 1, warmup: 1, minRepeats: 3, minMillis: 0);

    [Fact]
    public void Keys_follow_the_proxylessnas_style_and_separate_what_changes_cost()
    {
        var g = Small();
        Assert.Equal("conv2d-input:8x8x3-output:6x6x8-kernel:3-stride:1-pad:1-dilation:1-groups:1-bias:0".Replace("6x6", "8x8"),
            LatencyKey.For(g["c1"]));
        Assert.Equal("add-input:8x8x8-n:2", LatencyKey.For(g["sum"]));
        Assert.Equal("linear-input:8-output:10-bias:1", LatencyKey.For(g["fc"]));
        Assert.Equal("avg_pool-kernel:3-stride:1-pad:1-cip:0", LatencyKey.Family(LatencyKey.For(g["p"])));
        Assert.NotEqual(LatencyKey.For(g["c1"]), LatencyKey.For(Small(channels: 16)["c1"]));
        // The 6 edge kinds of a NAS-Bench-201 cell and its reduction blocks give a small set of distinct keys.
        var nb = ModelGraph.Build(Nb201Space.Network(Nb201Space.Format(Nb201Space.FromCode(777))));
        Assert.InRange(nb.Order.Select(LatencyKey.For).Distinct().Count(), 10, 60);
    }

    [Fact]
    public void Missing_keys_are_measured_once_saved_and_reused_after_a_reload()
    {
        var path = Path.Combine(dir, "table.json");
        var g = Small();
        var lut = new LatencyLutCostModel(path, MissingKeyPolicy.Measure, Quick());
        var first = lut.Estimate(g);
        var distinct = g.Order.Select(LatencyKey.For).Distinct().Count();
        Assert.Equal(distinct, lut.Measured);
        Assert.True(first[CostMetrics.LatencyMs] > 0);
        Assert.Equal(g.Order.Count, first.Layers.Count);
        Assert.All(first.Layers, l => Assert.True(l.Values[CostMetrics.LatencyMs] >= 0));

        var reloaded = new LatencyLutCostModel(path, MissingKeyPolicy.Fail, Quick());
        var again = reloaded.Estimate(g);
        Assert.Equal(0, reloaded.Measured);
        Assert.Equal(first[CostMetrics.LatencyMs], again[CostMetrics.LatencyMs], 12);
        Assert.Equal(1, reloaded.Table.Threads);
    }

    [Fact]
    public void The_prediction_is_the_sum_of_table_entries_plus_the_overhead()
    {
        var g = Small();
        var lut = new LatencyLutCostModel(null, MissingKeyPolicy.Fail, Quick());
        var expected = 0.05;
        lut.Table.OverheadMs = 0.05;
        var i = 1;
        foreach (var key in g.Order.Select(LatencyKey.For).Distinct())
            lut.Table.Entries[key] = new LatencyEntry(i++ * 0.01, 1, 1);
        expected += g.Order.Sum(n => lut.Table.Entries[LatencyKey.For(n)].MedianMs);
        Assert.Equal(expected, lut.Estimate(g)[CostMetrics.LatencyMs], 12);
    }

    [Fact]
    public void Interpolation_scales_the_nearest_entry_of_the_family_by_work()
    {
        var small = Small(channels: 8);
        var big = Small(channels: 16);
        var lut = new LatencyLutCostModel(null, MissingKeyPolicy.Interpolate, Quick());
        foreach (var n in small.Order)
            lut.Table.Entries[LatencyKey.For(n)] = new LatencyEntry(1.0, 1, LatencyProfiler.Work(n));
        var report = lut.Estimate(big);
        // The conv does twice the MACs with twice the output channels: twice the time.
        Assert.Equal(2.0, report.Layers.Single(l => l.LayerId == "c1").Values[CostMetrics.LatencyMs], 9);
    }

    [Fact]
    public void Unanswerable_requests_fail_with_the_reason()
    {
        var g = Small();
        var lut = new LatencyLutCostModel(null, MissingKeyPolicy.Fail, Quick());
        var e = Assert.Throws<CostModelException>(() => lut.Estimate(g));
        Assert.Contains("conv2d-input:8x8x3", e.Message);
        Assert.Contains("c1", e.Message);
        Assert.Contains("pixel3", Assert.Throws<CostModelException>(() => lut.Estimate(g, new CostContext { Device = "pixel3" })).Message);
        Assert.Contains("2 at batch 1", Assert.Throws<CostModelException>(() => lut.Estimate(g, new CostContext { Threads = 2 })).Message);
        var none = new LatencyLutCostModel(null, MissingKeyPolicy.Interpolate, Quick());
        Assert.Contains("family", Assert.Throws<CostModelException>(() => none.Estimate(g)).Message);

        var corrupt = Path.Combine(dir, "corrupt.json");
        File.WriteAllText(corrupt, "{ not json");
        Assert.Contains("corrupt.json", Assert.Throws<InvalidDataException>(() => new LatencyLutCostModel(corrupt)).Message);
    }
}
