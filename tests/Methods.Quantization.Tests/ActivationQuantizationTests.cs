using AutoCompress.Torch;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

public sealed class ActivationQuantizationTests
{
    [Theory]
    [InlineData(-1.5, 4.0, 8)]
    [InlineData(0.0, 6.0, 4)]
    [InlineData(-3.0, 0.5, 2)]
    public void Inside_the_range_the_error_is_at_most_half_a_scale_and_outside_values_clamp(double lo, double hi, int bits)
    {
        using var scope = TorchEngine.NewDisposeScope();
        var (scale, zero) = ActivationQuantization.Parameters(lo, hi, bits);
        Assert.InRange(zero, 0, (1 << bits) - 1);
        var inside = Tensor.Arange(lo, hi, (hi - lo) / 997, DType.Float32);
        var x = inside.ToArray<float>();
        var y = ActivationQuantization.FakeQuantize(inside, lo, hi, bits).ToArray<float>();
        for (var i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) <= scale / 2 * (1 + 1e-4), $"{x[i]} -> {y[i]} (scale {scale})");
        // Zero is exact.
        Assert.Equal(0f, ActivationQuantization.FakeQuantize(Tensor.Zeros([1]), lo, hi, bits).ToArray<float>()[0]);

        var outside = Tensor.FromArray(new[] { (float)(lo - 10), (float)(hi + 10), (float)(hi * 100 + 1) });
        var clamped = ActivationQuantization.FakeQuantize(outside, lo, hi, bits).ToArray<float>();
        Assert.True(Math.Abs(clamped[0] - lo) <= scale / 2 * (1 + 1e-4), $"{clamped[0]} vs lo {lo}");
        Assert.True(Math.Abs(clamped[1] - hi) <= scale / 2 * (1 + 1e-4), $"{clamped[1]} vs hi {hi}");
        Assert.Equal(clamped[1], clamped[2]);
    }

    [Fact]
    public void Straight_through_gradient_is_one_inside_the_range_and_zero_outside()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var x = Tensor.FromArray(new[] { -5f, -1f, -0.3f, 0f, 0.7f, 2f, 2.01f, 9f }).RequiresGradInPlace();
        var y = ActivationQuantization.FakeQuantize(x, -1, 2, 3);
        y.Backward(Tensor.Full([8], 2.5));
        Assert.Equal(new[] { 0f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 0f, 0f }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void Quantizer_tracks_a_moving_average_in_training_is_fixed_in_eval_and_when_frozen()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var q = new ActivationQuantizer(8, averagingConstant: 0.5);
        Assert.False(q.IsCalibrated);
        // Uncalibrated in eval: floats pass through untouched.
        q.Eval();
        var x = Tensor.FromArray(new[] { 0.123456f, 3.3f });
        Assert.True(q.Forward(x).AllClose(x, 0, 0));
        Assert.False(q.IsCalibrated);

        q.Train();
        q.Forward(Tensor.FromArray(new[] { 0f, 4f }));     // first batch sets the range: [0, 4]
        Assert.Equal((0.0, 4.0), q.CurrentRange);
        q.Forward(Tensor.FromArray(new[] { -2f, 8f }));    // EMA with c = 0.5: [-1, 6]
        Assert.Equal((-1.0, 6.0), q.CurrentRange);

        q.Eval();
        var y = q.Forward(Tensor.FromArray(new[] { -10f, 100f }));
        Assert.Equal((-1.0, 6.0), q.CurrentRange);
        var clipped = y.ToArray<float>();
        var halfStep = ActivationQuantization.Parameters(-1, 6, 8).Scale / 2;
        Assert.Equal(-1, clipped[0], halfStep);
        Assert.Equal(6, clipped[1], halfStep);

        q.Train();
        q.Frozen = true;
        q.Forward(Tensor.FromArray(new[] { -50f, 50f }));
        Assert.Equal((-1.0, 6.0), q.CurrentRange);
    }

    [Fact]
    public void The_range_always_contains_zero()
    {
        using var q = new ActivationQuantizer(4);
        q.SetRange(0.5, 3);
        Assert.Equal((0.0, 3.0), q.CurrentRange);
        q.SetRange(-2, -1);
        Assert.Equal((-2.0, 0.0), q.CurrentRange);
        Assert.Throws<ArgumentException>(() => q.SetRange(double.NaN, 1));
    }
}
