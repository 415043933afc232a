using AutoCompress.Torch;
using AutoCompress.Torch.NN;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// Fake-quantizes a layer's output to <see cref="Bits"/>-bit unsigned integers over a learned range.
/// A <see cref="Graph.GraphModel"/> registers one per layer with <c>activation_bits</c> as the child
/// "&lt;layer id&gt;_aq", so the range is the buffer "&lt;layer id&gt;_aq.range" (float32 [lo, hi]) and is
/// saved and loaded with the weights.
/// <list type="bullet">
/// <item>While a <see cref="Calibrator"/> is attached, the output passes through as float and is observed
/// (post-training calibration sees the float model's activations, as torch.ao's observers do).</item>
/// <item>In training mode, unless <see cref="Frozen"/>, the range follows an exponential moving average
/// of each batch's min and max (torch.ao's MovingAverageMinMaxObserver, averaging constant 0.01); the
/// first batch of an uncalibrated quantizer sets it outright.</item>
/// <item>In evaluation mode the range is fixed.</item>
/// <item>Until it has a range (a float model's weights loaded into a quantized description) the output
/// passes through unquantized; <see cref="IsCalibrated"/> tells.</item>
/// </list>
/// The range always contains 0. The gradient passes inside the range and is zero outside.
/// </summary>
public sealed class ActivationQuantizer : Module
{
    /// <summary>Name of the range buffer.</summary>
    public const string RangeName = "range";

    /// <summary>Appended to a layer id to name its quantizer module.</summary>
    public const string Suffix = "_aq";

    public ActivationQuantizer(int bits, double averagingConstant = 0.01)
    {
        if (bits is < 1 or > ActivationQuantization.MaxBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"activation bits must be in 1..{ActivationQuantization.MaxBits}");
        if (!(averagingConstant > 0 && averagingConstant <= 1))
            throw new ArgumentOutOfRangeException(nameof(averagingConstant), averagingConstant, "the averaging constant must be in (0, 1]");
        Bits = bits;
        AveragingConstant = averagingConstant;
        Range = RegisterBuffer(RangeName, Tensor.FromArray(new[] { float.PositiveInfinity, float.NegativeInfinity }));
    }

    /// <summary>Whether <paramref name="bits"/> (a layer's <c>activation_bits</c>) is realised by a quantizer; wider stays float.</summary>
    public static bool Realises(int? bits) => bits is >= 1 and <= ActivationQuantization.MaxBits;

    public int Bits { get; }

    /// <summary>Weight of the newest batch in the moving average of the range.</summary>
    public double AveragingConstant { get; }

    /// <summary>The buffer [lo, hi]; [+∞, −∞] until calibrated.</summary>
    public Tensor Range { get; }

    /// <summary>Keeps the range fixed in training mode too (after quantization-aware training).</summary>
    public bool Frozen { get; set; }

    /// <summary>While set, outputs pass through as float and are observed by it.</summary>
    public RangeCalibrator? Calibrator { get; set; }

    /// <summary>The current range [lo, hi].</summary>
    public (double Lo, double Hi) CurrentRange
    {
        get
        {
            var r = Range.ToArray<float>();
            return (r[0], r[1]);
        }
    }

    /// <summary>Whether the range has been set (by calibration, training or loading).</summary>
    public bool IsCalibrated
    {
        get
        {
            var (lo, hi) = CurrentRange;
            return double.IsFinite(lo) && double.IsFinite(hi) && lo <= 0 && hi >= 0;
        }
    }

    /// <summary>Sets the range, widened to contain 0.</summary>
    public void SetRange(double lo, double hi)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi)
            throw new ArgumentException($"range [{lo}, {hi}] must be finite with lo <= hi");
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        Range.CopyFrom(Tensor.FromArray(new[] { (float)Math.Min(lo, 0), (float)Math.Max(hi, 0) }));
    }

    /// <summary>Forgets the range (back to passing floats through until calibrated).</summary>
    public void ResetRange()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        Range.CopyFrom(Tensor.FromArray(new[] { float.PositiveInfinity, float.NegativeInfinity }));
    }

    /// <summary>Always a new tensor (never <paramref name="input"/> itself), so the caller may free its input.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Calibrator is { } calibrator)
        {
            calibrator.Observe(input);
            return input.Alias();
        }
        if (Training && !Frozen) Track(input);
        if (!IsCalibrated) return input.Alias();
        var (lo, hi) = CurrentRange;
        return ActivationQuantization.FakeQuantize(input, lo, hi, Bits);
    }

    private void Track(Tensor input)
    {
        if (input.NumEl == 0) return;
        double batchLo, batchHi;
        using (TorchEngine.NewDisposeScope())
        using (TorchEngine.NoGrad())
        {
            batchLo = Math.Min(input.Min().Item(), 0);
            batchHi = Math.Max(input.Max().Item(), 0);
        }
        if (!double.IsFinite(batchLo) || !double.IsFinite(batchHi)) return;
        if (!IsCalibrated)
        {
            SetRange(batchLo, batchHi);
            return;
        }
        var (lo, hi) = CurrentRange;
        var c = AveragingConstant;
        SetRange(lo + c * (batchLo - lo), hi + c * (batchHi - hi));
    }
}
