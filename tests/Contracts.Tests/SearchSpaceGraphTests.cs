using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;

namespace AutoCompress.Contracts.Tests;

public class SearchSpaceGraphTests
{
    [Fact]
    public void Nb201_shapes_are_inferred_stage_by_stage()
    {
        var g = ModelGraph.Build(Samples.Nb201());
        Assert.Equal(FeatureShape.Map(3, 32, 32), g.InputShape);
        Assert.Equal(FeatureShape.Map(16, 32, 32), g["stem_conv"].OutputShape);
        Assert.Equal(FeatureShape.Map(16, 32, 32), g["s0_c4_n3"].OutputShape);
        Assert.Equal(FeatureShape.Map(16, 16, 16), g["s1_reduce_down_pool"].OutputShape);
        Assert.Equal(FeatureShape.Map(32, 16, 16), g["s1_reduce_add"].OutputShape);
        Assert.Equal(FeatureShape.Map(32, 16, 16), g["s1_c0_e10_conv"].OutputShape);
        Assert.Equal(FeatureShape.Map(64, 8, 8), g["s2_reduce_add"].OutputShape);
        Assert.Equal(FeatureShape.Map(64, 1, 1), g["gap"].OutputShape);
        Assert.Equal(FeatureShape.Vector(64), g["flatten"].OutputShape);
        Assert.Equal("classifier", g.Output.Id);
        Assert.Equal(FeatureShape.Vector(10), g.Output.OutputShape);
        Assert.Equal(Samples.Nb201Arch, g.Description.Metadata[Nb201Space.ArchKey]);
    }

    [Fact]
    public void Nb201_random_cells_build_valid_graphs()
    {
        var rng = new Random(201);
        for (var i = 0; i < 200; i++)
        {
            var ops = Nb201Space.FromCode(rng.Next(Nb201Space.Size));
            var arch = Nb201Space.Format(ops);
            Assert.Equal(ops, Nb201Space.Parse(arch));
            var g = ModelGraph.Build(Nb201Space.Network(arch));
            Assert.Equal(FeatureShape.Vector(10), g.Output.OutputShape);
            Assert.Equal(g.Description.Layers.Count, g.Order.Count);
        }
    }

    [Fact]
    public void MobileNetV2_random_chains_build_valid_graphs()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var rng = new Random(seed);
            var width = MobileNetV2Space.WidthMultipliers[seed % MobileNetV2Space.WidthMultipliers.Count];
            var g = ModelGraph.Build(MobileNetV2Space.Network(MobileNetV2Space.Random(rng), width));
            Assert.Equal(FeatureShape.Vector(10), g.Output.OutputShape);
            Assert.Equal(FeatureShape.Map(320, 4, 4), g["head_conv"].OutputShape);
        }
    }
}
