using AutoCompress.Contracts.Models;
using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning.Tests;

/// <summary>Networks and data the tests prune.</summary>
internal static class TestModels
{
    /// <summary>The reference CNN, described through <see cref="ModuleDescriber"/> and realised with its weights.</summary>
    public static GraphModel ReferenceCnn(ulong seed = 1)
    {
        TorchEngine.ManualSeed(seed);
        using var cnn = new ReferenceCnn();
        var (description, weights) = ModuleDescriber.Describe(cnn, [1, 28, 28], "reference-cnn");
        var model = new GraphModel(description);
        model.LoadStateDict(weights);
        return model;
    }

    /// <summary>
    /// A small MobileNetV2-style chain: stem, two inverted residual blocks with adds (1×1 expand, 3×3
    /// depthwise, 1×1 project), a strided block without add, a 1×1 head, global pooling, classifier.
    /// </summary>
    public static ModelDescription Residual(int inChannels = 3, int size = 16, int classes = 10)
    {
        var layers = new List<Layer>
        {
            new Conv2dLayer { Id = "stem_conv", OutChannels = 16, Kernel = 3, Inputs = [ModelDescription.InputId] },
            new BatchNormLayer { Id = "stem_bn" },
            new ActivationLayer { Id = "stem_act", Function = ActivationFunction.Relu6 },
        };
        var last = Block(layers, "b0", "stem_act", 16, 16, 1);
        last = Block(layers, "b1", last, 16, 16, 1);
        last = Block(layers, "b2", last, 16, 24, 2);
        layers.AddRange(
        [
            new Conv2dLayer { Id = "head_conv", OutChannels = 64, Kernel = 1, Inputs = [last] },
            new BatchNormLayer { Id = "head_bn" },
            new ActivationLayer { Id = "head_act", Function = ActivationFunction.Relu6 },
            new AdaptiveAvgPoolLayer { Id = "gap" },
            new FlattenLayer { Id = "flatten" },
            new LinearLayer { Id = "classifier", OutFeatures = classes },
        ]);
        return new ModelDescription { Name = "mini-mbv2", InputShape = [inChannels, size, size], Layers = layers };
    }

    private static string Block(List<Layer> layers, string id, string from, int inC, int outC, int stride)
    {
        var hidden = inC * 3;
        layers.AddRange(
        [
            new Conv2dLayer { Id = $"{id}_expand", OutChannels = hidden, Kernel = 1, Inputs = [from] },
            new BatchNormLayer { Id = $"{id}_expand_bn" },
            new ActivationLayer { Id = $"{id}_expand_act", Function = ActivationFunction.Relu6 },
            new Conv2dLayer { Id = $"{id}_dw", OutChannels = hidden, Kernel = 3, Stride = stride, Groups = hidden },
            new BatchNormLayer { Id = $"{id}_dw_bn" },
            new ActivationLayer { Id = $"{id}_dw_act", Function = ActivationFunction.Relu6 },
            new Conv2dLayer { Id = $"{id}_project", OutChannels = outC, Kernel = 1 },
            new BatchNormLayer { Id = $"{id}_project_bn" },
        ]);
        if (stride != 1 || inC != outC) return $"{id}_project_bn";
        layers.Add(new AddLayer { Id = $"{id}_add", Inputs = [from, $"{id}_project_bn"] });
        return $"{id}_add";
    }

    /// <summary>
    /// Two branches concatenated, a depthwise conv across the concat, a pool, flatten and two linear
    /// layers: channel offsets, depthwise groups and the flatten mapping in one network.
    /// </summary>
    public static ModelDescription Concat() => new()
    {
        Name = "concat-net",
        InputShape = [1, 8, 8],
        Layers =
        [
            new Conv2dLayer { Id = "a", OutChannels = 8, Kernel = 3, Inputs = [ModelDescription.InputId] },
            new BatchNormLayer { Id = "a_bn" },
            new ActivationLayer { Id = "a_act" },
            new Conv2dLayer { Id = "b", OutChannels = 6, Kernel = 3, Bias = true, Inputs = [ModelDescription.InputId] },
            new ActivationLayer { Id = "b_act" },
            new ConcatLayer { Id = "cat", Inputs = ["a_act", "b_act"] },
            new Conv2dLayer { Id = "dw", OutChannels = 14, Kernel = 3, Groups = 14, Bias = true },
            new BatchNormLayer { Id = "dw_bn" },
            new ActivationLayer { Id = "dw_act" },
            new Conv2dLayer { Id = "c", OutChannels = 10, Kernel = 3 },
            new PoolLayer { Id = "pool", Kernel = 2 },
            new FlattenLayer { Id = "flat" },
            new LinearLayer { Id = "fc", OutFeatures = 12 },
            new ActivationLayer { Id = "fc_act" },
            new DropoutLayer { Id = "drop", P = 0.3 },
            new LinearLayer { Id = "out", OutFeatures = 5 },
        ],
    };

    /// <summary>Gives every batch norm non-trivial γ, β and running statistics, so a channel left behind shows.</summary>
    public static void RandomizeBatchNorms(GraphModel model)
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        foreach (var (name, t) in model.StateDict())
        {
            if (name.EndsWith(".running_mean", StringComparison.Ordinal)) t.NormalInPlace(0, 0.3);
            else if (name.EndsWith(".running_var", StringComparison.Ordinal)) t.UniformInPlace(0.5, 1.5);
            else if (t.Dim == 1 && name.EndsWith(".weight", StringComparison.Ordinal)) t.UniformInPlace(0.5, 1.5);
            else if (t.Dim == 1 && name.EndsWith(".bias", StringComparison.Ordinal) && IsBatchNorm(model, name)) t.NormalInPlace(0.2, 0.5);
        }
    }

    private static bool IsBatchNorm(GraphModel model, string name) => model.Graph[name[..name.IndexOf('.', StringComparison.Ordinal)]].Layer is BatchNormLayer;

    /// <summary>
    /// Makes channel <paramref name="channel"/> of <paramref name="group"/> contribute nothing: every
    /// filter, bias, γ and β the analysis ties to it becomes 0 (so the channel outputs exactly 0).
    /// </summary>
    public static void ZeroChannel(GraphModel model, ChannelGroup group, int channel)
    {
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        foreach (var slice in group.Slices)
            foreach (var local in new[] { "weight", "bias" })
                if (parameters.TryGetValue($"{slice.LayerId}.{local}", out var p))
                    p.Narrow(0, slice.Offset + channel, 1).Zero();
    }

    /// <summary>Random images (uniform bytes) with random labels: enough to get gradients.</summary>
    public static DataSubset RandomImages(int count, int channels, int size, int classes = 10, int seed = 7)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * channels * size * size];
        rng.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(_ => (byte)rng.Next(classes)).ToArray();
        return new ImageDataset(pixels, labels, channels, size, size, classes, "random").All();
    }

    public static readonly Normalization Plain = new([0.5f], [0.25f]);

    /// <summary>The model's output on <paramref name="input"/> in eval mode, as a managed array.</summary>
    public static float[] Outputs(GraphModel model, Tensor input)
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        model.Eval();
        return model.Forward(input).Contiguous().ToArray<float>();
    }

    /// <summary>Largest |a − b| relative to the largest |a|.</summary>
    public static double RelativeError(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double err = 0, scale = 1e-12;
        for (var i = 0; i < a.Length; i++)
        {
            err = Math.Max(err, Math.Abs(a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs(a[i]));
        }
        return err / scale;
    }
}
