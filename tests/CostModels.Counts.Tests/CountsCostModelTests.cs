using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.CostModels.Counts.Tests;

public class CountsCostModelTests
{
    private static readonly CountsCostModel Model = new();

    private static CostReport Run(int[] input, params Layer[] layers) =>
        Model.Estimate(ModelGraph.Build(new ModelDescription { InputShape = input, Layers = layers }));

    private static (long Macs, long Params) Layer(CostReport r, string id)
    {
        var l = Assert.Single(r.Layers, l => l.LayerId == id);
        return ((long)l.Values[CostMetrics.Macs], (long)l.Values[CostMetrics.Params]);
    }

    private static (long Macs, long Params) Totals(CostReport r) => ((long)r[CostMetrics.Macs], (long)r[CostMetrics.Params]);

    [Fact]
    public void Declares_its_id_metrics_and_no_device_restriction()
    {
        Assert.Equal("counts", Model.Id);
        Assert.Equal([CostMetrics.Macs, CostMetrics.Params], Model.Metrics);
        Assert.Null(Model.Devices);
        var r = Model.Estimate(ModelGraph.Build(new ModelDescription { InputShape = [4], Layers = [new LinearLayer { Id = "fc", OutFeatures = 2 }] }),
            new CostContext { Device = "pixel3" });
        Assert.Equal("counts", r.CostModel);
        Assert.Equal(Model.Metrics.Order(), r.Totals.Keys.Order());
    }

    [Fact]
    public void Plain_conv()
    {
        // 3x8x8 -> 4x8x8, 3x3 "same": 64 positions * 4 out * 3 in * 9.
        var r = Run([3, 8, 8], new Conv2dLayer { Id = "c", OutChannels = 4, Kernel = 3 });
        Assert.Equal((6912L, 108L), Totals(r));
        Assert.Equal((6912L, 108L), Layer(r, "c"));
    }

    [Fact]
    public void Strided_padded_conv()
    {
        // 3x11x11, k5 s2 p1 -> (11 + 2 - 5) / 2 + 1 = 5: 25 * 8 * 3 * 25.
        var r = Run([3, 11, 11], new Conv2dLayer { Id = "c", OutChannels = 8, Kernel = 5, Stride = 2, Padding = 1 });
        Assert.Equal((15000L, 600L), Totals(r));
    }

    [Fact]
    public void Depthwise_conv()
    {
        // groups = channels = 8: each output sees 1 input channel: 36 * 8 * 1 * 9.
        var r = Run([8, 6, 6], new Conv2dLayer { Id = "dw", OutChannels = 8, Kernel = 3, Groups = 8 });
        Assert.Equal((2592L, 72L), Totals(r));
    }

    [Fact]
    public void Grouped_conv()
    {
        // 8 -> 12 in 4 groups, 1x1: 36 * 12 * (8 / 4).
        var r = Run([8, 6, 6], new Conv2dLayer { Id = "g", OutChannels = 12, Kernel = 1, Groups = 4 });
        Assert.Equal((864L, 24L), Totals(r));
    }

    [Fact]
    public void Conv_bias_adds_one_mac_per_output_value()
    {
        // 2x5x5, k3 p0 -> 3x3x3: 9 * 3 * 2 * 9 = 486, plus 27 bias adds; 54 weights + 3 biases.
        var r = Run([2, 5, 5], new Conv2dLayer { Id = "c", OutChannels = 3, Kernel = 3, Padding = 0, Bias = true });
        Assert.Equal((513L, 57L), Totals(r));
    }

    [Theory]
    [InlineData(true, 105)]
    [InlineData(false, 100)]
    public void Linear(bool bias, long expected)
    {
        var r = Run([20], new LinearLayer { Id = "fc", OutFeatures = 5, Bias = bias });
        Assert.Equal((expected, expected), Totals(r));
    }

    [Fact]
    public void Batch_norm_counts_affine_weights_only_and_no_macs()
    {
        var r = Run([6, 4, 4], new BatchNormLayer { Id = "bn" }, new BatchNormLayer { Id = "plain", Affine = false });
        Assert.Equal((0L, 12L), Totals(r));
        Assert.Equal((0L, 12L), Layer(r, "bn"));
        Assert.DoesNotContain(r.Layers, l => l.LayerId == "plain");
    }

    [Fact]
    public void Residual_block_counts_convs_and_bn_but_not_relu_or_add()
    {
        var r = Run([4, 8, 8],
            new Conv2dLayer { Id = "a", OutChannels = 4, Kernel = 3 },
            new BatchNormLayer { Id = "a_bn" },
            new ActivationLayer { Id = "a_relu" },
            new Conv2dLayer { Id = "b", OutChannels = 4, Kernel = 3 },
            new AddLayer { Id = "add", Inputs = [ModelDescription.InputId, "b"] },
            new PoolLayer { Id = "pool", Kernel = 2 });
        // Two 4->4 3x3 convs at 8x8 (64 * 4 * 4 * 9 each) and one BN with 2 * 4 weights.
        Assert.Equal((2 * 9216L, 2 * 144L + 8), Totals(r));
        Assert.Equal(["a", "a_bn", "b"], r.Layers.Select(l => l.LayerId));
    }

    [Fact]
    public void Kept_channels_shrink_the_layer_and_its_consumer()
    {
        var r = Run([3, 8, 8],
            new Conv2dLayer { Id = "c1", OutChannels = 8, Kernel = 3, Compression = new Compression { KeptChannels = [0, 2, 5] } },
            new BatchNormLayer { Id = "bn" },
            new Conv2dLayer { Id = "c2", OutChannels = 4, Kernel = 1 });
        Assert.Equal((64L * 3 * 3 * 9, 81L), Layer(r, "c1"));
        Assert.Equal((0L, 6L), Layer(r, "bn"));
        Assert.Equal((64L * 4 * 3, 12L), Layer(r, "c2"));
    }

    [Fact]
    public void Sparsity_and_bit_widths_do_not_change_counts()
    {
        Layer Conv(Compression? c) => new Conv2dLayer { Id = "c", OutChannels = 4, Kernel = 3, Compression = c };
        var dense = Run([3, 8, 8], Conv(null));
        var compressed = Run([3, 8, 8], Conv(new Compression { Sparsity = 0.9, WeightBits = 4, ActivationBits = 8 }));
        Assert.Equal(Totals(dense), Totals(compressed));
    }

    [Fact]
    public void Batch_size_multiplies_macs_not_params()
    {
        var graph = ModelGraph.Build(new ModelDescription { InputShape = [3, 8, 8], Layers = [new Conv2dLayer { Id = "c", OutChannels = 4, Kernel = 3 }] });
        var r = Model.Estimate(graph, new CostContext { BatchSize = 8 });
        Assert.Equal((8 * 6912L, 108L), Totals(r));
        Assert.Equal((8 * 6912L, 108L), Layer(r, "c"));
    }

    [Fact]
    public void Counts_beyond_int_range_stay_exact()
    {
        // 512 -> 512 3x3 at 128x128: 38,654,705,664 MACs, more than int.MaxValue.
        var r = Run([512, 128, 128], new Conv2dLayer { Id = "c", OutChannels = 512, Kernel = 3 });
        Assert.Equal(16384L * 512 * 512 * 9, (long)r[CostMetrics.Macs]);
    }
}
