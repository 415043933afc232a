using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

public sealed class PackedWeightsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-packed-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // One conv and two linear layers at 2, 3, 4 and 8 bits in every granularity (fc1: 96 inputs in groups of 10, the last of 6); an activation quantizer too.
    private static ModelDescription Model(int bits) => new()
    {
        InputShape = [3, 8, 8],
        Layers =
        [
            new Conv2dLayer { Id = "conv", OutChannels = 6, Kernel = 3, Bias = true, Compression = new() { WeightBits = bits } },
            new BatchNormLayer { Id = "bn" },
            new ActivationLayer { Id = "relu", Compression = new() { ActivationBits = 8 } },
            new PoolLayer { Id = "pool", Kernel = 2 },
            new FlattenLayer { Id = "flat" },
            new LinearLayer { Id = "fc1", OutFeatures = 13, Compression = new() { WeightBits = bits, WeightGranularity = WeightGranularity.Group, WeightGroupSize = 10 } },
            new ActivationLayer { Id = "relu2" },
            new LinearLayer { Id = "fc2", OutFeatures = 5, Compression = new() { WeightBits = bits, WeightGranularity = WeightGranularity.PerTensor } },
        ],
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void Packed_file_round_trips_exactly_to_the_fake_quantized_weights_at_the_expected_size(int bits)
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed((ulong)bits);
        using var model = new GraphModel(Model(bits));
        model.ActivationQuantizers["relu"].SetRange(0, 3.5);
        var path = Path.Combine(dir, $"m{bits}.safetensors");
        var size = PackedWeights.Save(model, path);
        Assert.Equal(new FileInfo(path).Length, size);

        // Raw file: the packed tensors hold ⌈n·b/8⌉ bytes, the scales one float per group of weights.
        var raw = SafeTensors.Load(path, out var metadata);
        Assert.Equal(PackedWeights.Format, metadata["format"]);
        var state = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor);
        foreach (var (id, scales) in new[] { ("conv", new long[] { 6 }), ("fc1", new long[] { 13, 10 }), ("fc2", new long[] { 1 }) })
        {
            var n = state[$"{id}.weight"].NumEl;
            Assert.Equal(new[] { (n * bits + 7) / 8 }, raw[$"{id}.weight.packed"].Shape);
            Assert.Equal(DType.UInt8, raw[$"{id}.weight.packed"].DType);
            Assert.Equal(scales, raw[$"{id}.weight.scales"].Shape);
            Assert.False(raw.ContainsKey($"{id}.weight"));
        }
        Assert.Equal(DType.Float32, raw["conv.bias"].DType);

        var loaded = PackedWeights.Load(path);
        Assert.Equal(state.Keys.Order(), loaded.Keys.Order());
        foreach (var node in model.Graph.Order)
        {
            if (WeightQuantSpec.Of(node.Layer) is not { } spec) continue;
            var expected = WeightQuantization.FakeQuantize(state[$"{node.Id}.weight"], spec);
            Assert.True(expected.AllClose(loaded[$"{node.Id}.weight"], 0, 0), $"{node.Id} at {bits} bits");
            if (spec.Granularity == WeightGranularity.PerTensor)
                Assert.True(loaded[$"{node.Id}.weight"].ToArray<float>().Distinct().Count() <= (1 << bits) - 1);
        }
        foreach (var name in state.Keys.Where(k => !k.EndsWith(".weight", StringComparison.Ordinal) || k.StartsWith("bn", StringComparison.Ordinal)))
            Assert.True(state[name].AllClose(loaded[name], 0, 0), name);

        // The unpacked weights realise the same function.
        using var reloaded = new GraphModel(Model(bits));
        reloaded.LoadWeights(loaded);
        model.Eval();
        reloaded.Eval();
        var x = Tensor.Randn([4, 3, 8, 8]);
        Assert.True(model.Forward(x).AllClose(reloaded.Forward(x), 1e-5, 1e-6));
    }

    [Fact]
    public void A_file_that_is_not_packed_is_refused()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var path = Path.Combine(dir, "plain.safetensors");
        SafeTensors.Save(path, [("a", Tensor.Zeros([2]))]);
        var e = Assert.Throws<InvalidDataException>(() => PackedWeights.Load(path));
        Assert.Contains("not a packed model", e.Message, StringComparison.Ordinal);
    }
}
