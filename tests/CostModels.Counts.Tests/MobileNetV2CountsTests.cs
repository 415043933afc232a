using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;

namespace AutoCompress.CostModels.Counts.Tests;

public class MobileNetV2CountsTests
{
    private static readonly CountsCostModel Model = new();

    private static CostReport Run(MbBlockChoice[] blocks) =>
        Model.Estimate(ModelGraph.Build(MobileNetV2Space.Network(blocks)));

    [Fact]
    public void Expand_depthwise_project_block_matches_hand_count()
    {
        // Block 0 at 28x28, 16 -> 16 channels, k5, expansion 6 (96 hidden), residual add.
        var blocks = Enumerable.Repeat(new MbBlockChoice(5, 6), MobileNetV2Space.BlockCount).ToArray();
        var r = Run(blocks);
        long Sum(string metric) => (long)r.Layers.Where(l => l.LayerId.StartsWith("b0_", StringComparison.Ordinal)).Sum(l => l.Values[metric]);
        const long positions = 28 * 28;
        long macs = positions * 96 * 16 // expand 1x1
                  + positions * 96 * 25 // depthwise 5x5
                  + positions * 16 * 96; // project 1x1
        long parameters = 96 * 16 + 2 * 96 + 96 * 25 + 2 * 96 + 16 * 96 + 2 * 16;
        Assert.Equal(macs, Sum(CostMetrics.Macs));
        Assert.Equal(parameters, Sum(CostMetrics.Params));
    }

    [Fact]
    public void Whole_chain_matches_hand_count_when_every_droppable_block_is_skipped()
    {
        // Skipping keeps only the blocks that change shape: b1 (16->24, s2), b3 (24->32, s2),
        // b5 (32->64, s2) and b7 (64->96); with expansion 1 each is depthwise 3x3 + project.
        var r = Run(Enumerable.Repeat(new MbBlockChoice(3, 1, Skip: true), MobileNetV2Space.BlockCount).ToArray());
        Assert.Equal(["b1_", "b3_", "b5_", "b7_"], r.Layers.Select(l => l.LayerId[..Math.Min(3, l.LayerId.Length)]).Where(p => p[0] == 'b').Distinct());
        long macs = 784L * 16 * 9              // stem 1->16 at 28x28
                  + 196 * 16 * 9 + 196 * 24 * 16 // b1 at 14x14
                  + 49 * 24 * 9 + 49 * 32 * 24    // b3 at 7x7
                  + 16 * 32 * 9 + 16 * 64 * 32    // b5 at 4x4
                  + 16 * 64 * 9 + 16 * 96 * 64    // b7 at 4x4
                  + 16 * 320 * 96                 // head 1x1
                  + 320 * 10 + 10;                // classifier
        long parameters = 144 + 32
                        + 144 + 32 + 384 + 48
                        + 216 + 48 + 768 + 64
                        + 288 + 64 + 2048 + 128
                        + 576 + 128 + 6144 + 192
                        + 30720 + 640
                        + 3210;
        Assert.Equal(904_226L, macs);
        Assert.Equal(macs, (long)r[CostMetrics.Macs]);
        Assert.Equal(parameters, (long)r[CostMetrics.Params]);
    }
}
