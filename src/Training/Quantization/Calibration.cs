using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Training.Quantization;

/// <summary>How to calibrate activation ranges.</summary>
/// <param name="Method">Min-max or percentile.</param>
/// <param name="Percentile">The p of <see cref="CalibrationMethod.Percentile"/> (the range spans the (100 − p)-th to the p-th percentile).</param>
/// <param name="Batches">Batches of data to run.</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Seed">Seed of the order the images are drawn in.</param>
public sealed record CalibrationOptions(CalibrationMethod Method = CalibrationMethod.MinMax, double Percentile = 99.99, int Batches = 8,
    int BatchSize = 128, int Seed = 0);

/// <summary>
/// Post-training calibration: runs a few batches through a model in evaluation mode, without
/// gradients, with every activation quantizer observing its layer's float output, then sets each
/// range. Weights stay fake-quantized meanwhile (their quantization does not depend on data).
/// </summary>
public static class Calibration
{
    /// <summary>Calibrates every activation quantizer of <paramref name="model"/>; returns the ranges by layer id.</summary>
    public static IReadOnlyDictionary<string, (double Lo, double Hi)> Run(GraphModel model, DataSubset data, Normalization normalization,
        CalibrationOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Batches, 1);
        var quantizers = model.ActivationQuantizers;
        if (quantizers.Count == 0) return new Dictionary<string, (double, double)>();
        if (data.Count == 0) throw new ArgumentException("calibration needs at least one image", nameof(data));

        var wasTraining = model.Training;
        foreach (var q in quantizers.Values) q.Calibrator = RangeCalibrator.Create(options.Method, options.Percentile, options.Batches);
        try
        {
            model.Eval();
            var loader = new BatchLoader(data, new BatchLoaderOptions
            {
                BatchSize = options.BatchSize, Shuffle = true, Seed = options.Seed, Normalization = normalization,
            });
            using var noGrad = TorchEngine.NoGrad();
            foreach (var batch in loader.Epoch(0).Take(options.Batches))
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = TorchEngine.NewDisposeScope();
                var (x, _) = batch.ToTensors();
                model.Forward(x);
            }
            var ranges = new Dictionary<string, (double Lo, double Hi)>();
            foreach (var (id, q) in quantizers)
            {
                var range = q.Calibrator!.Range;
                q.SetRange(range.Lo, range.Hi);
                ranges[id] = q.CurrentRange;
            }
            return ranges;
        }
        finally
        {
            foreach (var q in quantizers.Values) q.Calibrator = null;
            if (wasTraining) model.Train();
        }
    }
}
