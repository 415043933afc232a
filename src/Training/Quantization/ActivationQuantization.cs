using AutoCompress.Torch;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// Asymmetric unsigned quantization of activations over a range [lo, hi] that contains 0 (so zero,
/// the value of ReLU's clipped half and of padding, is exact): scale s = (hi − lo) / (2^b − 1),
/// integer zero point z = clamp(round(−lo / s), 0, 2^b − 1), q = clamp(round(x / s) + z, 0, 2^b − 1),
/// x̂ = (q − z)·s. Inside the range the error is at most s / 2; outside, values clamp to the range.
/// </summary>
public static class ActivationQuantization
{
    /// <summary>Most bits that are fake-quantized; wider activations stay float (a float32 has 24 significant bits).</summary>
    public const int MaxBits = 24;

    /// <summary>Smallest scale, used when the range is a single point.</summary>
    public const double MinScale = 1e-12;

    /// <summary>The scale and zero point of range [<paramref name="lo"/>, <paramref name="hi"/>] at <paramref name="bits"/> bits.</summary>
    public static (double Scale, int ZeroPoint) Parameters(double lo, double hi, int bits)
    {
        Check(lo, hi, bits);
        var levels = (1L << bits) - 1;
        var scale = Math.Max((hi - lo) / levels, MinScale);
        var zero = (int)Math.Clamp(Math.Round(-lo / scale, MidpointRounding.ToEven), 0, levels);
        return (scale, zero);
    }

    /// <summary>Integer levels 0..2^b − 1 (as float32) of <paramref name="x"/>; no gradient.</summary>
    public static Tensor Quantize(Tensor x, double lo, double hi, int bits)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (scale, zero) = Parameters(lo, hi, bits);
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        return x.Detach().Div(scale).Round().Add(zero).Clamp(0, (1L << bits) - 1).MoveToOuterScope();
    }

    /// <summary>The values integer levels stand for: (q − z)·s.</summary>
    public static Tensor Dequantize(Tensor levels, double lo, double hi, int bits)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var (scale, zero) = Parameters(lo, hi, bits);
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        return levels.Sub(zero).Mul(scale).MoveToOuterScope();
    }

    /// <summary>
    /// Quantize-dequantize with the clipped straight-through estimator: the value is x̂ of x clamped to
    /// [lo, hi]; the gradient is passed unchanged where lo ≤ x ≤ hi and is zero outside (the clamp's own gradient).
    /// </summary>
    public static Tensor FakeQuantize(Tensor x, double lo, double hi, int bits)
    {
        ArgumentNullException.ThrowIfNull(x);
        Check(lo, hi, bits);
        using var scope = TorchEngine.NewDisposeScope();
        var clipped = x.Clamp(lo, hi);
        var dequantized = Dequantize(Quantize(clipped, lo, hi, bits), lo, hi, bits);
        if (!TorchEngine.IsGradEnabled || !clipped.RequiresGrad) return dequantized.MoveToOuterScope();
        // x̂ + (c − c.detach()): exactly x̂ in value, the clamp's gradient in the backward pass.
        return dequantized.Add(clipped.Sub(clipped.Detach())).MoveToOuterScope();
    }

    private static void Check(double lo, double hi, int bits)
    {
        if (bits is < 1 or > MaxBits) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"activation bits must be in 1..{MaxBits}");
        if (!(lo <= 0 && hi >= 0) || double.IsInfinity(lo) || double.IsInfinity(hi))
            throw new ArgumentException($"activation range [{lo}, {hi}] must be finite and contain 0");
    }
}
