using AutoCompress.Torch;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

public sealed class CalibrationTests
{
    [Fact]
    public void Percentile_calibration_ignores_a_planted_outlier_where_min_max_does_not()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(1);
        var minMax = new MinMaxCalibrator();
        var percentile = new PercentileCalibrator(99.99, batches: 4);
        for (var b = 0; b < 4; b++)
        {
            var batch = Tensor.Rand([64, 8, 8, 8]).Mul(2); // uniform [0, 2)
            if (b == 2) batch = batch.MaskedFill(Tensor.Arange(batch.NumEl).Reshape(batch.Shape).Eq(777), 1000);
            minMax.Observe(batch);
            percentile.Observe(batch);
        }
        Assert.Equal(1000, minMax.Range.Hi);
        Assert.InRange(percentile.Range.Hi, 1.99, 2.0);
        Assert.Equal(0, percentile.Range.Lo);

        // The grid is fine where the values are: 8-bit error over [0, 2) is ~100x smaller with the percentile range.
        Assert.True(ActivationQuantization.Parameters(0, percentile.Range.Hi, 8).Scale * 100 < ActivationQuantization.Parameters(0, minMax.Range.Hi, 8).Scale);
    }

    [Theory]
    [InlineData(99.99)]
    [InlineData(99.0)]
    [InlineData(95.0)]
    [InlineData(100.0)]
    public void Percentile_over_several_batches_is_exact(double p)
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(2);
        var calibrator = new PercentileCalibrator(p, batches: 3);
        var all = new List<float>();
        // A last batch smaller than the others, as a loader yields; one batch holds all of the largest values.
        foreach (var (n, shift) in new[] { (5000, 0f), (5000, 50f), (1234, 0f) })
        {
            var batch = Tensor.Randn([n]).Add(shift);
            calibrator.Observe(batch);
            all.AddRange(batch.ToArray<float>());
        }
        all.Sort();
        var k = (int)Math.Floor((1 - p / 100) * all.Count) + 1;
        var (lo, hi) = calibrator.Range;
        Assert.Equal(Math.Min(all[k - 1], 0), lo);
        Assert.Equal(Math.Max(all[^k], 0), hi);
        Assert.Throws<InvalidOperationException>(() => calibrator.Observe(Tensor.Zeros([3])));
    }
}
