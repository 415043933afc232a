using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.Memory;

namespace AutoCompress.CostModels.Memory.Tests;

public class MemoryCostModelTests
{
    private static readonly MemoryCostModel Memory = new();

    private static ModelGraph Graph(int[] inputShape, params Layer[] layers) =>
        ModelGraph.Build(new ModelDescription { InputShape = inputShape, Layers = layers });

    private static double Value(CostReport report, string layer, string metric) =>
        report.Layers.Single(l => l.LayerId == layer).Values[metric];

    private static double[] LiveBytes(CostReport report) =>
        report.Layers.Select(l => l.Values[CostMetrics.PeakActivationBytes]).ToArray();

    [Fact]
    public void Declares_its_id_and_metrics_and_answers_for_any_device()
    {
        Assert.Equal("memory", Memory.Id);
        Assert.Equal([CostMetrics.WeightBytes, CostMetrics.PeakActivationBytes], Memory.Metrics);
        Assert.Null(Memory.Devices);
        var g = Graph([4], new LinearLayer { Id = "fc", OutFeatures = 2 });
        var report = Memory.Estimate(g, new CostContext { Device = "pixel3" });
        Assert.Equal(8 * 4 + 2 * 4, report[CostMetrics.WeightBytes]);
    }

    [Fact]
    public void Dense_float_weights_biases_and_batch_norm_statistics()
    {
        var g = Graph([3, 8, 8],
            new Conv2dLayer { Id = "conv", OutChannels = 4, Kernel = 3 },
            new BatchNormLayer { Id = "bn" },
            new BatchNormLayer { Id = "bn_plain", Affine = false },
            new ActivationLayer { Id = "relu" },
            new AdaptiveAvgPoolLayer { Id = "gap" },
            new FlattenLayer { Id = "flat" },
            new LinearLayer { Id = "fc", OutFeatures = 10 });
        var report = Memory.Estimate(g);
        Assert.Equal(4 * 3 * 9 * 4, Value(report, "conv", CostMetrics.WeightBytes));   // 432, no bias
        Assert.Equal(4 * 4 * 4, Value(report, "bn", CostMetrics.WeightBytes));         // γ, β, mean, var
        Assert.Equal(2 * 4 * 4, Value(report, "bn_plain", CostMetrics.WeightBytes));   // mean, var
        Assert.Equal(0, Value(report, "relu", CostMetrics.WeightBytes));
        Assert.Equal(40 * 4 + 10 * 4, Value(report, "fc", CostMetrics.WeightBytes));   // weights + bias
        Assert.Equal(432 + 64 + 32 + 200, report[CostMetrics.WeightBytes]);
    }

    [Fact]
    public void Quantized_weights_add_one_float_scale_per_output_channel()
    {
        var g = Graph([3, 8, 8],
            new Conv2dLayer { Id = "conv8", OutChannels = 4, Kernel = 3, Bias = true, Compression = new() { WeightBits = 8 } },
            new Conv2dLayer { Id = "odd4", OutChannels = 1, Kernel = 3, Inputs = [ModelDescription.InputId], Compression = new() { WeightBits = 4 } },
            new FlattenLayer { Id = "flat" },
            new LinearLayer { Id = "fc4", OutFeatures = 3, Bias = false, Compression = new() { WeightBits = 4 } });
        var report = Memory.Estimate(g);
        Assert.Equal(108 + 4 * 4 + 4 * 4, Value(report, "conv8", CostMetrics.WeightBytes)); // weights, scales, bias
        Assert.Equal(14 + 4, Value(report, "odd4", CostMetrics.WeightBytes));                // 27·4 bits = 13.5 -> 14
        // odd4 outputs 1×8×8 = 64 features; 64·3 = 192 weights at 4 bits = 96 bytes, 3 scales.
        Assert.Equal(96 + 12, Value(report, "fc4", CostMetrics.WeightBytes));
    }

    [Fact]
    public void Odd_element_count_at_4_bits_rounds_up()
    {
        var g = Graph([5], new LinearLayer { Id = "fc", OutFeatures = 3, Bias = false, Compression = new() { WeightBits = 4 } });
        Assert.Equal(8 + 3 * 4, Memory.Estimate(g)[CostMetrics.WeightBytes]); // 15 weights · 4 bits = 7.5 -> 8
    }

    [Fact]
    public void Sparse_layers_are_stored_in_the_cheapest_format()
    {
        var g = Graph([100],
            new LinearLayer { Id = "half", OutFeatures = 10, Bias = false, Compression = new() { Sparsity = 0.5 } },
            new LinearLayer { Id = "tenth", OutFeatures = 100, Inputs = [ModelDescription.InputId], Bias = false,
                Compression = new() { Sparsity = 0.9, WeightBits = 8 } });
        var report = Memory.Estimate(g);
        Assert.Equal(2125, Value(report, "half", CostMetrics.WeightBytes));           // bitmap 125 + 500·4
        Assert.Equal(2000 + 100 * 4, Value(report, "tenth", CostMetrics.WeightBytes)); // relative 1000·2, scales
    }

    [Fact]
    public void Kept_channels_shrink_the_layer_and_the_next_layers_weights()
    {
        var g = Graph([3, 8, 8],
            new Conv2dLayer { Id = "c1", OutChannels = 8, Kernel = 3, Compression = new() { KeptChannels = [0, 2, 5] } },
            new Conv2dLayer { Id = "c2", OutChannels = 4, Kernel = 3 },
            new Conv2dLayer { Id = "dw", OutChannels = 4, Kernel = 3, Groups = 4 });
        var report = Memory.Estimate(g);
        Assert.Equal(3 * 3 * 9 * 4, Value(report, "c1", CostMetrics.WeightBytes));
        Assert.Equal(4 * 3 * 9 * 4, Value(report, "c2", CostMetrics.WeightBytes)); // 3 inputs, not 8
        Assert.Equal(4 * 1 * 9 * 4, Value(report, "dw", CostMetrics.WeightBytes)); // depthwise
    }

    // input 1×8×8 (256 B) -> c1 2×8×8 (512 B) -> c2 8×8×8 (2048 B) -> pool 8×2×2 (128 B)
    // -> relu (128 B) -> flatten (alias) -> fc 10 (40 B)
    private static Layer[] Chain(int? c2ActivationBits = null) =>
    [
        new Conv2dLayer { Id = "c1", OutChannels = 2, Kernel = 3 },
        new Conv2dLayer { Id = "c2", OutChannels = 8, Kernel = 3, Compression = new() { ActivationBits = c2ActivationBits } },
        new PoolLayer { Id = "pool", Kernel = 4 },
        new ActivationLayer { Id = "relu" },
        new FlattenLayer { Id = "flat" },
        new LinearLayer { Id = "fc", OutFeatures = 10 },
    ];

    [Fact]
    public void Chain_peak_is_the_largest_input_and_output_pair()
    {
        var report = Memory.Estimate(Graph([1, 8, 8], Chain()));
        Assert.Equal([256 + 512, 512 + 2048, 2048 + 128, 128 + 128, 128, 128 + 40], LiveBytes(report));
        Assert.Equal(2560, report[CostMetrics.PeakActivationBytes]);
    }

    [Fact]
    public void Eight_bit_activations_take_a_byte_per_value()
    {
        var report = Memory.Estimate(Graph([1, 8, 8], Chain(c2ActivationBits: 8)));
        Assert.Equal([768, 512 + 512, 512 + 128, 256, 128, 168], LiveBytes(report));
        Assert.Equal(1024, report[CostMetrics.PeakActivationBytes]);
    }

    [Fact]
    public void Batch_size_scales_activations_but_not_weights()
    {
        var g = Graph([1, 8, 8], Chain());
        var one = Memory.Estimate(g);
        var four = Memory.Estimate(g, new CostContext { BatchSize = 4 });
        Assert.Equal(4 * 2560, four[CostMetrics.PeakActivationBytes]);
        Assert.Equal(one[CostMetrics.WeightBytes], four[CostMetrics.WeightBytes]);
    }

    [Fact]
    public void Activation_bytes_round_up_per_tensor_for_the_whole_batch()
    {
        // 9 values at 3 bits: batch 1 -> ⌈27/8⌉ = 4 bytes; batch 4 -> ⌈108/8⌉ = 14 bytes (not 4·4).
        var g = Graph([1, 3, 3], new Conv2dLayer { Id = "c", OutChannels = 1, Kernel = 3, Compression = new() { ActivationBits = 3 } });
        Assert.Equal(36 + 4, Memory.Estimate(g)[CostMetrics.PeakActivationBytes]);
        Assert.Equal(144 + 14, Memory.Estimate(g, new CostContext { BatchSize = 4 })[CostMetrics.PeakActivationBytes]);
    }

    [Fact]
    public void Residual_skip_stays_live_across_the_branch()
    {
        // Every tensor is 4×8×8 floats = 1024 B.
        Layer[] Block(bool skip) =>
        [
            new Conv2dLayer { Id = "stem", OutChannels = 4, Kernel = 3 },
            new Conv2dLayer { Id = "a", OutChannels = 4, Kernel = 3 },
            new Conv2dLayer { Id = "b", OutChannels = 4, Kernel = 3 },
            skip ? new AddLayer { Id = "add", Inputs = ["stem", "b"] } : new ActivationLayer { Id = "add" },
        ];
        var residual = Memory.Estimate(Graph([4, 8, 8], Block(skip: true)));
        Assert.Equal([2048, 2048, 3072, 3072], LiveBytes(residual)); // stem is live while a and b run
        Assert.Equal(3072, residual[CostMetrics.PeakActivationBytes]);
        Assert.Equal(2048, Memory.Estimate(Graph([4, 8, 8], Block(skip: false)))[CostMetrics.PeakActivationBytes]);
    }

    [Fact]
    public void Identity_aliases_its_input_and_keeps_it_live_for_its_readers()
    {
        // 1×4×4 floats = 64 B each. "skip" is the model input itself, read by "add" at the end.
        var g = Graph([1, 4, 4],
            new Conv2dLayer { Id = "c1", OutChannels = 1, Kernel = 3 },
            new IdentityLayer { Id = "skip", Inputs = [ModelDescription.InputId] },
            new Conv2dLayer { Id = "c2", OutChannels = 1, Kernel = 3, Inputs = ["c1"] },
            new AddLayer { Id = "add", Inputs = ["skip", "c2"] });
        var report = Memory.Estimate(g);
        Assert.Equal([128, 128, 192, 192], LiveBytes(report));
    }

    [Fact]
    public void Zero_layers_allocate_their_output()
    {
        var report = Memory.Estimate(Graph([1, 4, 4], new ZeroLayer { Id = "z" }));
        Assert.Equal(128, report[CostMetrics.PeakActivationBytes]);
    }

    [Fact]
    public void The_model_output_is_never_freed()
    {
        // Output c1 (64 B) stays live while c2 (128 B) and c3 (64 B) run.
        var g = ModelGraph.Build(new ModelDescription
        {
            InputShape = [1, 4, 4],
            Output = "c1",
            Layers =
            [
                new Conv2dLayer { Id = "c1", OutChannels = 1, Kernel = 3 },
                new Conv2dLayer { Id = "c2", OutChannels = 2, Kernel = 3 },
                new Conv2dLayer { Id = "c3", OutChannels = 1, Kernel = 3 },
            ],
        });
        var report = Memory.Estimate(g);
        Assert.Equal([128, 192, 256], LiveBytes(report));
        Assert.Equal(256, report[CostMetrics.PeakActivationBytes]);
    }

    [Fact]
    public void A_non_positive_batch_size_is_refused()
    {
        var g = Graph([1, 4, 4], new ZeroLayer { Id = "z" });
        var e = Assert.Throws<CostModelException>(() => Memory.Estimate(g, new CostContext { BatchSize = 0 }));
        Assert.Contains("batch size 0", e.Message, StringComparison.Ordinal);
    }
}
