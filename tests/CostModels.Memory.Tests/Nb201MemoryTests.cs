using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;

namespace AutoCompress.CostModels.Memory.Tests;

public class Nb201MemoryTests
{
    private const string AllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

    [Fact]
    public void Weights_of_the_empty_cell_network_are_its_parameters_and_running_statistics_as_floats()
    {
        // NAS-Bench-201 lists 73,306 parameters for this cell (BN affine weights included); the
        // running mean and variance of its BN layers (16 + 32 + 32 + 64 + 64 + 64 channels) add 2·272.
        var report = new MemoryCostModel().Estimate(ModelGraph.Build(Nb201Space.Network(AllNone)));
        Assert.Equal(4 * (73_306 + 2 * 272), report[CostMetrics.WeightBytes]);
    }

    [Fact]
    public void Peak_of_the_empty_cell_network_is_inside_a_first_stage_cell()
    {
        // With T = 16×32×32 floats, a cell of zero edges holds, when it adds node 2: node 0, e10
        // (read later by e31), e20, e21 and the sum: 5T. Nothing else in the network comes close.
        var report = new MemoryCostModel().Estimate(ModelGraph.Build(Nb201Space.Network(AllNone)));
        Assert.Equal(5 * 16 * 32 * 32 * 4, report[CostMetrics.PeakActivationBytes]);
        Assert.Equal(5 * 16 * 32 * 32 * 4, report.Layers.Single(l => l.LayerId == "s0_c0_n2").Values[CostMetrics.PeakActivationBytes]);
    }
}
