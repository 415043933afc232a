using AutoCompress.Contracts.Models;
using AutoCompress.Torch;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// Symmetric quantization of weight tensors. Dimension 0 is the output channel (conv
/// [out, in/groups, k, k], linear [out, in]); a group is that many consecutive weights of one output
/// channel in row-major order (a shorter last group when the channel's weight count is not a multiple).
/// Every group of weights sharing a scale s = max |w| / q_max is rounded to q = clamp(round(w / s),
/// −q_max, q_max) and dequantizes to q·s, so inside the range the error is at most s / 2.
/// Quantize and dequantize run the same float32 operations as <see cref="FakeQuantize"/>, so
/// packed weights unpack to exactly the values the fake-quantized model computes with.
/// </summary>
public static class WeightQuantization
{
    /// <summary>Smallest max |w| a scale is computed from, so an all-zero channel gets a tiny scale, not a division by zero.</summary>
    public const double MinAbsMax = 1e-12;

    /// <summary>
    /// Integer levels (as float32, in <paramref name="weight"/>'s shape) and scales (float32:
    /// per tensor [1], per channel [C], group [C, ⌈K / G⌉] for K weights per channel).
    /// No gradient flows through the result. Results belong to the caller's dispose scope; intermediates are freed here.
    /// </summary>
    public static (Tensor Levels, Tensor Scales) Quantize(Tensor weight, WeightQuantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(spec);
        CheckShape(weight.Shape);
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        var shape = weight.Shape;
        var rows = Rows(weight.Detach(), shape, spec);
        var scales = rows.Abs().Max([1], keepDim: true).Clamp(min: MinAbsMax).Div(spec.QMax);
        var levels = rows.Div(scales).Round().Clamp(-spec.QMax, spec.QMax);
        return (FromRows(levels, shape, spec).MoveToOuterScope(), scales.Reshape(ScaleShape(shape, spec)).MoveToOuterScope());
    }

    /// <summary>Levels times their scales: the float weights the integers stand for, in <paramref name="levels"/>' shape.</summary>
    public static Tensor Dequantize(Tensor levels, Tensor scales, WeightQuantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(spec);
        var shape = levels.Shape;
        CheckShape(shape);
        var expected = ScaleShape(shape, spec);
        if (!scales.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{spec} of a [{string.Join(", ", shape)}] weight needs scales [{string.Join(", ", expected)}], got [{string.Join(", ", scales.Shape)}]");
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        var rows = Rows(levels, shape, spec);
        return FromRows(rows.Mul(scales.Reshape(-1, 1)), shape, spec).MoveToOuterScope();
    }

    /// <summary>
    /// The quantize-dequantize of <paramref name="weight"/> with the straight-through estimator: the
    /// value is exactly the dequantized weight, the gradient passes to <paramref name="weight"/> unchanged.
    /// </summary>
    public static Tensor FakeQuantize(Tensor weight, WeightQuantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = TorchEngine.NewDisposeScope();
        var (levels, scales) = Quantize(weight, spec);
        var dequantized = Dequantize(levels, scales, spec);
        if (!TorchEngine.IsGradEnabled || !weight.RequiresGrad) return dequantized.MoveToOuterScope();
        // ŵ + (w − w.detach()): the value stays exactly ŵ (x − x is exactly 0), d/dw is the identity.
        return dequantized.Add(weight.Sub(weight.Detach())).MoveToOuterScope();
    }

    /// <summary>Number of scales <paramref name="spec"/> gives a weight of <paramref name="shape"/>.</summary>
    public static long[] ScaleShape(ReadOnlySpan<long> shape, WeightQuantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var channels = shape[0];
        var perChannel = Elements(shape) / channels;
        return spec.Granularity switch
        {
            WeightGranularity.PerTensor => [1],
            WeightGranularity.Group => [channels, (perChannel + spec.GroupSize!.Value - 1) / spec.GroupSize.Value],
            _ => [channels],
        };
    }

    private static long Elements(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    private static void CheckShape(long[] shape)
    {
        if (shape.Length < 2 || Elements(shape) == 0)
            throw new ArgumentException($"a weight needs an output-channel dimension and at least one element, got [{string.Join(", ", shape)}]");
    }

    // The weights as rows that each share one scale.
    private static Tensor Rows(Tensor t, long[] shape, WeightQuantSpec spec)
    {
        var channels = shape[0];
        switch (spec.Granularity)
        {
            case WeightGranularity.PerTensor:
                return t.Reshape(1, -1);
            case WeightGranularity.Group:
            {
                var g = (long)spec.GroupSize!.Value;
                var m = t.Reshape(channels, -1);
                var k = m.Size(1);
                var groups = (k + g - 1) / g;
                var pad = groups * g - k;
                if (pad > 0)
                {
                    // Zero padding never raises a group's max |w| and quantizes to zero.
                    m = Tensor.Cat([m, Tensor.Zeros([channels, pad], t.DType)], 1);
                }
                return m.Reshape(channels * groups, g);
            }
            default:
                return t.Reshape(channels, -1);
        }
    }

    private static Tensor FromRows(Tensor rows, long[] shape, WeightQuantSpec spec)
    {
        if (spec.Granularity != WeightGranularity.Group) return rows.Reshape(shape);
        var channels = shape[0];
        var k = Elements(shape) / channels;
        return rows.Reshape(channels, -1).Narrow(1, 0, k).Reshape(shape);
    }
}
