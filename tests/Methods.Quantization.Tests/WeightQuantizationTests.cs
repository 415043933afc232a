using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

public sealed class WeightQuantizationTests
{
    private static float[] Values(Tensor t) => t.Contiguous().ToArray<float>();

    // A conv weight [4, 3, 3, 3] whose output channels differ in magnitude by up to 10^4.
    private static Tensor MixedScaleWeight()
    {
        TorchEngine.ManualSeed(11);
        var w = Tensor.Randn([4, 3, 3, 3]);
        return w.Mul(Tensor.FromArray(new[] { 1e-3f, 1e-1f, 1f, 10f }, 4, 1, 1, 1));
    }

    public static TheoryData<WeightGranularity, int> Granularities => new()
    {
        { WeightGranularity.PerTensor, 0 }, { WeightGranularity.PerChannel, 0 }, { WeightGranularity.Group, 4 }, { WeightGranularity.Group, 27 },
    };

    [Theory]
    [MemberData(nameof(Granularities))]
    public void Dequantized_weights_are_within_half_a_scale_and_levels_within_range(WeightGranularity granularity, int groupSize)
    {
        using var scope = TorchEngine.NewDisposeScope();
        var w = MixedScaleWeight();
        foreach (var bits in new[] { 2, 3, 4, 8 })
        {
            var spec = new WeightQuantSpec(bits, granularity, groupSize == 0 ? null : groupSize);
            var (levels, scales) = WeightQuantization.Quantize(w, spec);
            Assert.Equal(WeightQuantization.ScaleShape(w.Shape, spec), scales.Shape);
            var deq = WeightQuantization.Dequantize(levels, scales, spec);
            Assert.Equal(w.Shape, deq.Shape);
            var q = Values(levels);
            Assert.All(q, v => Assert.True(v == MathF.Round(v) && Math.Abs(v) <= spec.QMax, $"level {v}"));
            // Per element: |w − ŵ| ≤ s/2 for the scale of the element's group.
            var perElementScale = Values(PerElement(scales, w.Shape, spec));
            var (x, y) = (Values(w), Values(deq));
            for (var i = 0; i < x.Length; i++)
                Assert.True(Math.Abs(x[i] - y[i]) <= perElementScale[i] / 2 * (1 + 1e-5), $"{spec}: element {i}: {x[i]} -> {y[i]}, scale {perElementScale[i]}");
        }
    }

    // Each element's scale, by repeating the scales over the elements they cover.
    private static Tensor PerElement(Tensor scales, long[] shape, WeightQuantSpec spec)
    {
        var channels = shape[0];
        var k = shape.Aggregate(1L, (a, b) => a * b) / channels;
        var s = spec.Granularity switch
        {
            WeightGranularity.PerTensor => scales.Reshape(1, 1).Expand(channels, k),
            WeightGranularity.PerChannel => scales.Reshape(channels, 1).Expand(channels, k),
            _ => scales.Reshape(channels, -1, 1).Expand(-1, -1, spec.GroupSize!.Value).Reshape(channels, -1).Narrow(1, 0, k),
        };
        return s.Contiguous().Reshape(shape);
    }

    [Fact]
    public void Per_channel_error_is_at_most_per_tensor_error_when_channels_differ_in_scale()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var w = MixedScaleWeight();
        foreach (var bits in new[] { 2, 4, 8 })
        {
            var perTensor = Error(w, new WeightQuantSpec(bits, WeightGranularity.PerTensor));
            var perChannel = Error(w, new WeightQuantSpec(bits, WeightGranularity.PerChannel));
            for (var c = 0; c < 4; c++) Assert.True(perChannel[c] <= perTensor[c] + 1e-9, $"{bits} bits, channel {c}: {perChannel[c]} > {perTensor[c]}");
            // The smallest channel is wiped out by one shared scale, not by its own.
            if (bits >= 4) Assert.True(perChannel[0] < perTensor[0] / 10, $"{bits} bits: {perChannel[0]} vs {perTensor[0]}");
        }
    }

    [Fact]
    public void Group_scales_beat_per_channel_when_a_channel_mixes_magnitudes_and_a_short_last_group_works()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(5);
        // One linear row of 10 weights: 8 small, then 2 large; groups of 4 give [4, 4, 2].
        var row = Tensor.Randn([2, 10]).Mul(Tensor.FromArray(new[] { .01f, .01f, .01f, .01f, .01f, .01f, .01f, .01f, 5f, 5f }, 1, 10));
        var group = new WeightQuantSpec(4, WeightGranularity.Group, 4);
        Assert.Equal(new long[] { 2, 3 }, WeightQuantization.Quantize(row, group).Scales.Shape);
        var g = Error(row, group);
        var c = Error(row, new WeightQuantSpec(4, WeightGranularity.PerChannel));
        for (var i = 0; i < 2; i++) Assert.True(g[i] < c[i], $"row {i}: group {g[i]} vs channel {c[i]}");
    }

    // Mean squared error per output channel.
    private static double[] Error(Tensor w, WeightQuantSpec spec)
    {
        var deq = WeightQuantization.FakeQuantize(w, spec);
        return Array.ConvertAll(Values(deq.Sub(w).Square().Reshape(w.Size(0), -1).Mean(1)), v => (double)v);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void B_bits_give_at_most_2_to_the_b_distinct_values(int bits)
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed((ulong)bits);
        var w = Tensor.Rand([3, 4000]).Mul(2).Sub(1); // uniform, so every level is used
        var deq = WeightQuantization.FakeQuantize(w, new WeightQuantSpec(bits, WeightGranularity.PerTensor));
        var distinct = Values(deq).Distinct().Count();
        Assert.True(distinct <= 1 << bits, $"{distinct} values at {bits} bits");
        // Symmetric: exactly 2^b − 1 levels, all used by 12000 uniform samples.
        Assert.Equal((1 << bits) - 1, distinct);

        var x = Tensor.Randn([20000]).Mul(3);
        var aq = ActivationQuantization.FakeQuantize(x, -4, 9, bits);
        Assert.True(Values(aq).Distinct().Count() <= 1 << bits);
    }

    [Fact]
    public void Straight_through_estimator_passes_the_upstream_gradient_to_the_weights_unchanged()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(3);
        var w = Tensor.Randn([6, 5]).Mul(2).RequiresGradInPlace();
        var upstream = Tensor.Randn([6, 5]);
        foreach (var spec in new[] { new WeightQuantSpec(2), new WeightQuantSpec(4, WeightGranularity.PerTensor), new WeightQuantSpec(3, WeightGranularity.Group, 2) })
        {
            w.ZeroGrad();
            var deq = WeightQuantization.FakeQuantize(w, spec);
            // The value is exactly the dequantized weight...
            var (levels, scales) = WeightQuantization.Quantize(w, spec);
            Assert.True(deq.AllClose(WeightQuantization.Dequantize(levels, scales, spec), 0, 0));
            Assert.False(deq.AllClose(w, 1e-3, 1e-3));
            // ...and the gradient is the upstream gradient itself (even where w sits outside the grid).
            deq.Backward(upstream);
            Assert.True(w.Grad!.AllClose(upstream, 0, 0));
        }
    }

    [Fact]
    public void An_all_zero_channel_quantizes_to_zero_without_dividing_by_zero()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var w = Tensor.Cat([Tensor.Zeros([1, 8]), Tensor.Ones([1, 8])], 0);
        var deq = WeightQuantization.FakeQuantize(w, new WeightQuantSpec(4));
        Assert.True(deq.AllClose(w, 0, 1e-6));
        Assert.Equal(0, deq.IsNan().Sum().ItemLong());
    }
}
