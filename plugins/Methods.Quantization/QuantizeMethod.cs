using System.Globalization;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Methods;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization;

/// <summary>
/// Quantizes a trained model: weights to symmetric integers of 2–8 bits (mixed precision per layer
/// allowed), activation-layer outputs to asymmetric unsigned integers over calibrated ranges.
/// <list type="number">
/// <item>The float model is measured (<c>float_test_accuracy</c>).</item>
/// <item>The description is annotated (<see cref="QuantizationPlan"/>) and realised with the float
/// weights; its realisation fake-quantizes, so every later evaluation is of the quantized model.</item>
/// <item>Activation ranges are calibrated on <c>calibration_batches</c> training batches (min-max or percentile).</item>
/// <item>qat only: training with the usual loop (AdamW at the budget's learning rate, label smoothing
/// 0.1) with fake quantization in the loop; ranges follow a moving average of batch min/max, then are frozen.</item>
/// <item>The result is the annotated description with the latent float weights and ranges
/// ("quantized.safetensors"; evaluating it through a GraphModel gives the quantized accuracy), and the
/// real storage, bit-packed ("quantized.packed.safetensors", named by the description's metadata
/// "packed_weights"; <see cref="PackedWeights"/>).</item>
/// </list>
/// Metrics: test_accuracy and validation_accuracy (quantized), macs, parameters; the float model's
/// float_test_accuracy, float_validation_accuracy, float_macs, float_parameters; storage_bytes (the whole
/// packed file, header included), float_bytes (bytes of the float model's tensors, float32 and the int64
/// batch-norm counters), compression_ratio (float_bytes / storage_bytes), mean_weight_bits (over
/// weights), activation_bits, qat_epochs (0 for ptq).
/// </summary>
public sealed class QuantizeMethod : CompressionMethod<QuantizeConfig>
{
    /// <summary>Name of the result's weights file.</summary>
    public const string WeightsFile = "quantized.safetensors";

    /// <summary>Name of the packed file, next to the weights.</summary>
    public const string PackedFile = "quantized.packed.safetensors";

    /// <summary>The description metadata key naming the packed file (relative to the weights' folder).</summary>
    public const string PackedMetadataKey = "packed_weights";

    public override string Id => "quantize";

    protected override Task<CompressionResult> RunAsync(ModelArtifact model, QuantizeConfig config, MethodContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        var quantized = QuantizationPlan.Annotate(model.Description, config, Id);
        var floatDescription = QuantizationPlan.Float(model.Description);
        if (context.Budget.Threads > 0) TorchEngine.Threads = context.Budget.Threads;
        var data = DatasetLoader.Load(context.Dataset, context.Seed);
        var metrics = new Dictionary<string, double>();

        using var qmodel = new GraphModel(quantized);
        using (var scope = TorchEngine.NewDisposeScope())
        {
            var state = SafeTensors.Load(model.WeightsPath);
            using var floatModel = new GraphModel(floatDescription);
            floatModel.LoadWeights(state);
            cancel.ThrowIfCancellationRequested();
            foreach (var (k, v) in MethodKit.Measure(floatModel, data)) metrics["float_" + k] = v;
            metrics["float_bytes"] = floatModel.StateDict().Sum(p => p.Tensor.NumEl * p.Tensor.DType.ElementSize());
            qmodel.LoadWeights(state);
        }
        context.Log?.Report($"{Id}: float test accuracy {metrics["float_test_accuracy"]:P2}");

        var calibration = new CalibrationOptions(config.Calibration, config.Percentile, config.CalibrationBatches,
            context.Budget.BatchSize, context.Seed);
        var ranges = Calibration.Run(qmodel, data.Train, data.Normalization, calibration, cancel);
        foreach (var (layer, (lo, hi)) in ranges)
            context.Log?.Report(string.Create(CultureInfo.InvariantCulture, $"{Id}: {layer} range [{lo:G4}, {hi:G4}]"));

        double qatEpochs = 0;
        if (config.Mode == QuantizeMode.Qat)
        {
            qatEpochs = config.QatEpochs ?? context.Budget.Epochs;
            var (options, train) = MethodKit.Plan(context, data, qatEpochs);
            context.Log?.Report($"{Id}: quantization-aware training, {options.Epochs} epoch(s) over {train.Count} images");
            Trainer.Train(qmodel, train, null, data.Normalization, options, MethodKit.LogTo(context, Id), cancel: cancel);
            qmodel.FreezeActivationRanges();
        }
        cancel.ThrowIfCancellationRequested();

        foreach (var (k, v) in MethodKit.Measure(qmodel, data)) metrics[k] = v;
        Directory.CreateDirectory(context.WorkDirectory);
        var described = qmodel.Describe();
        var metadata = new Dictionary<string, string>(described.Metadata) { [PackedMetadataKey] = PackedFile };
        var artifact = ModelArtifacts.Save(qmodel, Path.Combine(context.WorkDirectory, WeightsFile), described with { Metadata = metadata });
        var storage = PackedWeights.Save(qmodel, Path.Combine(context.WorkDirectory, PackedFile));

        metrics["storage_bytes"] = storage;
        metrics["compression_ratio"] = metrics["float_bytes"] / storage;
        metrics["mean_weight_bits"] = MeanWeightBits(qmodel);
        metrics["activation_bits"] = config.ActivationBits;
        metrics["qat_epochs"] = qatEpochs;
        context.Log?.Report($"{Id}: test accuracy {metrics["test_accuracy"]:P2} (float {metrics["float_test_accuracy"]:P2}), " +
                            $"{storage:N0} bytes packed vs {metrics["float_bytes"]:N0} float");
        return Task.FromResult(new CompressionResult(artifact, metrics));
    }

    // Weight bits averaged over the quantized layers' weights.
    private static double MeanWeightBits(GraphModel model)
    {
        var weights = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.NumEl);
        double bits = 0, count = 0;
        foreach (var node in model.Graph.Order)
        {
            if (WeightQuantSpec.Of(node.Layer) is not { } spec) continue;
            var n = weights[$"{node.Id}.weight"];
            bits += (double)spec.Bits * n;
            count += n;
        }
        return count == 0 ? 32 : bits / count;
    }
}
