using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;

namespace AutoCompress.Contracts.Tests;

/// <summary>Model descriptions shared by the tests.</summary>
public static class Samples
{
    public const string Nb201Arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|";

    public static ModelDescription Nb201() => Nb201Space.Network(Nb201Arch);

    public static ModelDescription MobileNetV2() =>
        MobileNetV2Space.Network(MobileNetV2Space.Random(new Random(7)), width: 0.75);

    /// <summary>A small branching model using most ops and every compression annotation.</summary>
    public static ModelDescription Small() => new()
    {
        Name = "small",
        InputShape = [3, 16, 16],
        Layers =
        [
            new Conv2dLayer
            {
                Id = "c1", OutChannels = 8, Kernel = 3, Bias = true,
                Compression = new Compression { KeptChannels = [0, 1, 3, 6], WeightBits = 8, ActivationBits = 8, Sparsity = 0.25 },
            },
            new BatchNormLayer { Id = "bn1", Eps = 1e-3, Momentum = 0.01 },
            new ActivationLayer { Id = "act1", Function = ActivationFunction.Hardswish },
            new PoolLayer { Id = "pool", Kind = PoolKind.Max, Kernel = 3, Stride = 2, Padding = 1 },
            new Conv2dLayer { Id = "dw", OutChannels = 4, Kernel = 5, Groups = 4, Dilation = 1, Padding = 2, Inputs = ["pool"] },
            new Conv2dLayer { Id = "pw", OutChannels = 6, Kernel = 1, Inputs = ["pool"], Compression = new Compression { Sparsity = 0.5 } },
            new ConcatLayer { Id = "cat", Inputs = ["dw", "pw"] },
            new ZeroLayer { Id = "zero" },
            new AddLayer { Id = "sum", Inputs = ["cat", "zero"] },
            new AdaptiveAvgPoolLayer { Id = "gap", OutputSize = 2 },
            new FlattenLayer { Id = "flat" },
            new DropoutLayer { Id = "drop", P = 0.2 },
            new LinearLayer { Id = "fc1", OutFeatures = 16, Compression = new Compression { KeptChannels = [1, 2, 3, 5, 8], WeightBits = 4 } },
            new IdentityLayer { Id = "skip" },
            new LinearLayer { Id = "fc2", OutFeatures = 3, Bias = false },
        ],
        Output = "fc2",
        Metadata = new Dictionary<string, string> { ["origin"] = "hand-written" },
    };
}
