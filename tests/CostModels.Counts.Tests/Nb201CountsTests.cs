using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;
using Xunit.Abstractions;

namespace AutoCompress.CostModels.Counts.Tests;

/// <summary>The counts reproduce NAS-Bench-201's own params_cifar10 and flops_cifar10 exactly.</summary>
public class Nb201CountsTests(ITestOutputHelper output)
{
    private static readonly CountsCostModel Model = new();

    private static (long Macs, long Params) Count(string arch)
    {
        var r = Model.Estimate(ModelGraph.Build(Nb201Space.Network(arch)));
        return ((long)r[CostMetrics.Macs], (long)r[CostMetrics.Params]);
    }

    [Fact]
    public void Base_network_without_cells_matches_the_maintainers_figure()
    {
        // Every edge "none": only the stem, the two reduction blocks and the classifier head remain.
        Assert.Equal((7_783_050L, 73_306L), Count(Nb201Space.Format(Enumerable.Repeat("none", 6).ToArray())));
    }

    [Nb201Fact]
    public void Sampled_cells_match_the_benchmark_exactly()
    {
        var rows = Nb201Data.Read();
        Assert.Equal(Nb201Space.Size, rows.Count);
        // Deterministic sample: the first 20 rows, every 31st row, and the cheapest and dearest cells.
        var sample = rows.Take(20).Concat(rows.Where((_, i) => i % 31 == 0))
            .Append(rows.MinBy(r => r.Flops)!).Append(rows.MaxBy(r => r.Flops)!)
            .DistinctBy(r => r.Index).ToList();
        var mismatches = new List<string>();
        foreach (var row in sample)
        {
            var (macs, parameters) = Count(row.Arch);
            if (macs != row.Flops || parameters != row.Params)
                mismatches.Add($"#{row.Index} {row.Arch}: params {parameters} vs {row.Params}, MACs {macs} vs {row.Flops}");
        }
        output.WriteLine($"checked {sample.Count} NAS-Bench-201 cells, {sample.Count - mismatches.Count} match exactly");
        Assert.True(sample.Count >= 500, $"only {sample.Count} cells sampled");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(20)));
        Assert.Equal((7_783_050L, 73_306L), (rows.Min(r => r.Flops), rows.Min(r => r.Params)));
    }
}
