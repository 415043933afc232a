using AutoCompress.Contracts.Models;

namespace AutoCompress.Search.Spaces;

/// <summary>One searchable block of the chain: kernel size, expansion ratio, or skipped entirely.</summary>
public sealed record MbBlockChoice(int Kernel = 3, int Expansion = 6, bool Skip = false);

/// <summary>
/// A MobileNetV2 / FBNet-style chain: a stem conv, stages of inverted residual blocks (1×1 expand,
/// k×k depthwise, 1×1 project, residual add when shapes allow), a 1×1 head conv, global pooling
/// and a classifier. Per block the search chooses kernel 3/5/7, expansion 1/3/6 or skip; a width
/// multiplier scales every channel count.
/// </summary>
public static class MobileNetV2Space
{
    public static readonly IReadOnlyList<int> Kernels = [3, 5, 7];
    public static readonly IReadOnlyList<int> Expansions = [1, 3, 6];
    public static readonly IReadOnlyList<double> WidthMultipliers = [0.5, 0.75, 1.0];

    /// <summary>Stages as (base channels, blocks, first stride), for small images (28–32 px).</summary>
    public static readonly IReadOnlyList<(int Channels, int Blocks, int Stride)> Stages =
        [(16, 1, 1), (24, 2, 2), (32, 2, 2), (64, 2, 2), (96, 1, 1)];

    public static int BlockCount => Stages.Sum(s => s.Blocks);

    private static int Scale(int channels, double width) => Math.Max(8, (int)Math.Round(channels * width / 8.0) * 8);

    /// <summary>
    /// The network for one choice per block (<see cref="BlockCount"/> of them). A skipped block is
    /// dropped when it could be (stride 1, same width); otherwise it stays with its chosen op.
    /// </summary>
    public static ModelDescription Network(IReadOnlyList<MbBlockChoice> blocks, double width = 1.0, int inChannels = 1,
        int imageSize = 28, int numClasses = 10, int headChannels = 320)
    {
        if (blocks.Count != BlockCount) throw new ArgumentException($"the chain has {BlockCount} blocks, got {blocks.Count} choices");
        var layers = new List<Layer>();
        var stemC = Scale(16, width);
        layers.Add(new Conv2dLayer { Id = "stem_conv", OutChannels = stemC, Kernel = 3, Inputs = [ModelDescription.InputId] });
        layers.Add(new BatchNormLayer { Id = "stem_bn" });
        layers.Add(new ActivationLayer { Id = "stem_act", Function = ActivationFunction.Relu6 });
        string last = "stem_act";
        var c = stemC;
        var b = 0;
        foreach (var (baseC, count, firstStride) in Stages)
        {
            var outC = Scale(baseC, width);
            for (var i = 0; i < count; i++, b++)
            {
                var stride = i == 0 ? firstStride : 1;
                var choice = blocks[b];
                if (!Kernels.Contains(choice.Kernel)) throw new ArgumentException($"block {b}: kernel {choice.Kernel} is not one of {string.Join("/", Kernels)}");
                if (!Expansions.Contains(choice.Expansion)) throw new ArgumentException($"block {b}: expansion {choice.Expansion} is not one of {string.Join("/", Expansions)}");
                if (choice.Skip && stride == 1 && c == outC) continue;
                last = InvertedResidual(layers, $"b{b}", last, c, outC, choice.Kernel, choice.Expansion, stride);
                c = outC;
            }
        }
        var head = Scale(headChannels, Math.Max(1.0, width));
        layers.Add(new Conv2dLayer { Id = "head_conv", OutChannels = head, Kernel = 1, Inputs = [last] });
        layers.Add(new BatchNormLayer { Id = "head_bn" });
        layers.Add(new ActivationLayer { Id = "head_act", Function = ActivationFunction.Relu6 });
        layers.Add(new AdaptiveAvgPoolLayer { Id = "gap" });
        layers.Add(new FlattenLayer { Id = "flatten" });
        layers.Add(new LinearLayer { Id = "classifier", OutFeatures = numClasses });
        return new ModelDescription
        {
            Name = "mbv2 " + string.Join(",", blocks.Select(x => x.Skip ? "skip" : $"k{x.Kernel}e{x.Expansion}")) + $" w{width}",
            InputShape = [inChannels, imageSize, imageSize],
            Layers = layers,
        };
    }

    private static string InvertedResidual(List<Layer> layers, string id, string from, int inC, int outC, int k, int e, int stride)
    {
        var hidden = inC * e;
        var x = from;
        if (e != 1)
        {
            layers.Add(new Conv2dLayer { Id = $"{id}_expand", OutChannels = hidden, Kernel = 1, Inputs = [x] });
            layers.Add(new BatchNormLayer { Id = $"{id}_expand_bn" });
            layers.Add(new ActivationLayer { Id = $"{id}_expand_act", Function = ActivationFunction.Relu6 });
            x = $"{id}_expand_act";
        }
        layers.Add(new Conv2dLayer { Id = $"{id}_dw", OutChannels = hidden, Kernel = k, Stride = stride, Groups = hidden, Inputs = [x] });
        layers.Add(new BatchNormLayer { Id = $"{id}_dw_bn" });
        layers.Add(new ActivationLayer { Id = $"{id}_dw_act", Function = ActivationFunction.Relu6 });
        layers.Add(new Conv2dLayer { Id = $"{id}_project", OutChannels = outC, Kernel = 1 });
        layers.Add(new BatchNormLayer { Id = $"{id}_project_bn" });
        if (stride != 1 || inC != outC) return $"{id}_project_bn";
        layers.Add(new AddLayer { Id = $"{id}_add", Inputs = [from, $"{id}_project_bn"] });
        return $"{id}_add";
    }

    /// <summary>A uniformly random block choice per block, from a seeded generator.</summary>
    public static MbBlockChoice[] Random(Random rng) =>
        Enumerable.Range(0, BlockCount).Select(_ => new MbBlockChoice(
            Kernels[rng.Next(Kernels.Count)], Expansions[rng.Next(Expansions.Count)], rng.Next(4) == 0)).ToArray();
}
