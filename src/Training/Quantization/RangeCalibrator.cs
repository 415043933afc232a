using AutoCompress.Torch;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// Finds an activation range from the values a layer outputs over some calibration batches
/// (post-training quantization, and the starting range of quantization-aware training).
/// The range reported always contains 0, as the quantizer needs.
/// </summary>
public abstract class RangeCalibrator
{
    /// <summary>Values seen so far.</summary>
    public long Count { get; private set; }

    /// <summary>Takes one batch of outputs into account (no gradient is recorded).</summary>
    public void Observe(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.NumEl == 0) return;
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        var flat = values.Detach().Flatten().To(DType.Float32);
        ObserveFlat(flat, flat.NumEl);
        Count += flat.NumEl;
    }

    /// <summary>The range found, widened to contain 0.</summary>
    /// <exception cref="InvalidOperationException">Nothing was observed, or only NaN.</exception>
    public (double Lo, double Hi) Range
    {
        get
        {
            if (Count == 0) throw new InvalidOperationException("no values were observed, so there is no range");
            var (lo, hi) = RawRange();
            if (double.IsNaN(lo) || double.IsNaN(hi)) throw new InvalidOperationException("the observed values are NaN");
            return (Math.Min(lo, 0), Math.Max(hi, 0));
        }
    }

    /// <summary>Takes in <paramref name="n"/> values of one batch, flattened.</summary>
    protected abstract void ObserveFlat(Tensor flat, long n);

    /// <summary>The range over everything observed, before widening to 0.</summary>
    protected abstract (double Lo, double Hi) RawRange();

    /// <summary>A calibrator of the given kind.</summary>
    public static RangeCalibrator Create(CalibrationMethod method, double percentile, int batches) => method switch
    {
        CalibrationMethod.MinMax => new MinMaxCalibrator(),
        CalibrationMethod.Percentile => new PercentileCalibrator(percentile, batches),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown calibration method"),
    };
}

/// <summary>How activation ranges are calibrated.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing is clipped, but one outlier stretches the grid for all values.</summary>
    MinMax,

    /// <summary>The (100 − p)-th and p-th percentiles of all values seen: rare outliers are clipped to keep the grid fine.</summary>
    Percentile,
}

/// <summary>The smallest and largest value over every batch observed.</summary>
public sealed class MinMaxCalibrator : RangeCalibrator
{
    private double lo = double.PositiveInfinity, hi = double.NegativeInfinity;

    protected override void ObserveFlat(Tensor flat, long n)
    {
        ArgumentNullException.ThrowIfNull(flat);
        lo = Math.Min(lo, flat.Min().Item());
        hi = Math.Max(hi, flat.Max().Item());
    }

    protected override (double Lo, double Hi) RawRange() => (lo, hi);
}

/// <summary>
/// Exact percentiles over all values of up to <see cref="Batches"/> batches. With N values and
/// q = 1 − p / 100, the upper end is the K-th largest value and the lower end the K-th smallest,
/// K = ⌊q·N⌋ + 1 (p = 100 gives the maximum and minimum). Only the K_cap = ⌊q·n·Batches⌋ + 1 largest
/// and smallest values seen so far are kept (n the largest batch so far, so K_cap ≥ K at the end),
/// found per batch with top-k: memory is O(K_cap), not O(N). The result is exact when no batch is
/// larger than the first (a loader's batches are, but for a smaller last one).
/// </summary>
public sealed class PercentileCalibrator : RangeCalibrator
{
    private float[] largest = [], smallest = [];
    private long cap;
    private int batchesSeen;

    public PercentileCalibrator(double percentile, int batches)
    {
        if (!(percentile > 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (0, 100]");
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        Percentile = percentile;
        Batches = batches;
    }

    public double Percentile { get; }

    /// <summary>The most batches this calibrator takes (their count sizes the candidates kept).</summary>
    public int Batches { get; }

    private double Tail => 1 - Percentile / 100;

    protected override void ObserveFlat(Tensor flat, long n)
    {
        ArgumentNullException.ThrowIfNull(flat);
        if (++batchesSeen > Batches)
            throw new InvalidOperationException($"the percentile calibrator was sized for {Batches} batches and got one more");
        cap = Math.Max(cap, checked((long)Math.Floor(Tail * n * Batches) + 1));
        var k = Math.Min(n, cap);
        largest = Merge(largest, Top(flat, k, largest: true), descending: true);
        smallest = Merge(smallest, Top(flat, k, largest: false), descending: false);
    }

    private static float[] Top(Tensor flat, long k, bool largest)
    {
        var (values, indices) = flat.TopK(k, largest: largest, sorted: false);
        indices.Dispose();
        return values.ToArray<float>();
    }

    private float[] Merge(float[] kept, float[] fresh, bool descending)
    {
        var all = new float[kept.Length + fresh.Length];
        kept.CopyTo(all, 0);
        fresh.CopyTo(all, kept.Length);
        Array.Sort(all);
        if (descending) Array.Reverse(all);
        return all.Length > cap ? all[..(int)cap] : all;
    }

    protected override (double Lo, double Hi) RawRange()
    {
        var k = (long)Math.Floor(Tail * Count) + 1;
        var at = (int)Math.Min(k, largest.Length) - 1;
        return (smallest[at], largest[at]);
    }
}
