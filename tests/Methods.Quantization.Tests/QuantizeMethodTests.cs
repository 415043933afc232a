using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Quantization;
using Xunit.Abstractions;

namespace AutoCompress.Methods.Quantization.Tests;

/// <summary>The plugin end to end, loaded through the host, on a small trained reference CNN.</summary>
public sealed class QuantizeMethodTests(TrainedReference reference, ITestOutputHelper output) : IClassFixture<TrainedReference>
{
    private void Report(string what, CompressionResult r) => output.WriteLine(
        $"{what}: test {r.Metrics["test_accuracy"]:P2} (float {r.Metrics["float_test_accuracy"]:P2}), " +
        $"{r.Metrics["storage_bytes"]:N0} bytes packed vs {r.Metrics["float_bytes"]:N0} float (x{r.Metrics["compression_ratio"]:F2})");

    [Fact]
    public async Task Int8_ptq_stays_within_a_couple_of_points_of_float_and_stores_about_four_times_smaller()
    {
        var result = await reference.Run("int8", "{}");
        Report("int8 ptq", result);
        var m = result.Metrics;
        foreach (var key in new[] { "test_accuracy", "validation_accuracy", "float_test_accuracy", "macs", "parameters", "storage_bytes", "float_bytes", "compression_ratio" })
            Assert.True(m.ContainsKey(key), $"missing metric {key}");
        Assert.True(m["float_test_accuracy"] > 0.75, $"the reference trained to only {m["float_test_accuracy"]}");
        Assert.True(Math.Abs(m["test_accuracy"] - m["float_test_accuracy"]) <= 0.02, $"{m["test_accuracy"]} vs float {m["float_test_accuracy"]}");
        Assert.InRange(m["compression_ratio"], 3.5, 4.0);
        Assert.Equal(m["float_macs"], m["macs"]);
        Assert.Equal(m["float_parameters"], m["parameters"]);
        Assert.Equal(8, m["mean_weight_bits"]);

        // The artifact: the annotated description, the latent weights and ranges; evaluating it gives the quantized accuracy.
        var description = result.Model.Description;
        Assert.All(description.Layers.Where(l => l is Conv2dLayer or LinearLayer), l => Assert.Equal(8, l.Compression!.WeightBits));
        Assert.All(description.Layers.Where(l => l is ActivationLayer), l => Assert.Equal(8, l.Compression!.ActivationBits));
        using (var reloaded = ModelArtifacts.Load(result.Model))
        {
            Assert.All(reloaded.ActivationQuantizers.Values, q => Assert.True(q.IsCalibrated));
            Assert.Equal(m["test_accuracy"], Trainer.Evaluate(reloaded, reference.Data.Test, reference.Data.Normalization).Accuracy);
        }

        // The packed file: its size is the metric, and unpacked it realises the same quantized model.
        var packed = Path.Combine(Path.GetDirectoryName(result.Model.WeightsPath)!, description.Metadata[QuantizeMethod.PackedMetadataKey]);
        Assert.Equal(new FileInfo(packed).Length, m["storage_bytes"]);
        using (var scope = TorchEngine.NewDisposeScope())
        using (var unpacked = new GraphModel(description))
        {
            unpacked.LoadWeights(PackedWeights.Load(packed));
            var accuracy = Trainer.Evaluate(unpacked, reference.Data.Test, reference.Data.Normalization).Accuracy;
            Assert.True(Math.Abs(accuracy - m["test_accuracy"]) <= 0.001, $"{accuracy} vs {m["test_accuracy"]}");
        }
    }

    [Fact]
    public async Task Four_bit_qat_does_not_lose_to_four_bit_ptq()
    {
        var ptq = await reference.Run("w4a4-ptq", """{"weight_bits": 4, "activation_bits": 4}""");
        var qat = await reference.Run("w4a4-qat", """{"mode": "qat", "weight_bits": 4, "activation_bits": 4, "qat_epochs": 2}""");
        Report("w4a4 ptq", ptq);
        Report("w4a4 qat", qat);
        Assert.True(qat.Metrics["test_accuracy"] >= ptq.Metrics["test_accuracy"],
            $"qat {qat.Metrics["test_accuracy"]} < ptq {ptq.Metrics["test_accuracy"]}");
        Assert.Equal(2, qat.Metrics["qat_epochs"]);
        Assert.Equal(ptq.Metrics["storage_bytes"], qat.Metrics["storage_bytes"]);
        Assert.InRange(qat.Metrics["compression_ratio"], 6.5, 8.0);
    }

    [Fact]
    public async Task Two_bit_group_wise_weights_with_percentile_calibration_run()
    {
        var result = await reference.Run("w2", """{"weight_bits": 2, "granularity": "group", "group_size": 32, "calibration": "percentile", "layer_bits": {"features_0": 8}}""");
        Report("w2 group-32 (first conv 8-bit), percentile", result);
        var m = result.Metrics;
        Assert.InRange(m["mean_weight_bits"], 2.0, 2.01);
        Assert.True(m["compression_ratio"] > 8, $"ratio {m["compression_ratio"]}");
        Assert.True(m["test_accuracy"] > 0.1, $"2-bit accuracy {m["test_accuracy"]}");
        var raw = SafeTensors.Load(Path.Combine(Path.GetDirectoryName(result.Model.WeightsPath)!, QuantizeMethod.PackedFile));
        try
        {
            Assert.Equal(new long[] { (128 * 1152 * 2 + 7) / 8 }, raw["classifier_1.weight.packed"].Shape);
            Assert.Equal(new long[] { 128, 36 }, raw["classifier_1.weight.scales"].Shape);
            Assert.Equal(new long[] { 32 * 9 }, raw["features_0.weight.packed"].Shape);
        }
        finally
        {
            foreach (var t in raw.Values) t.Dispose();
        }
    }

    [Fact]
    public async Task Invalid_configurations_fail_through_the_runner_with_the_reason()
    {
        var context = reference.Context("invalid");
        var outcome = await MethodRunner.RunAsync(reference.Method, reference.Artifact, """{"layer_bits": {"features_1": 4}}""", context, TimeSpan.FromMinutes(1));
        Assert.False(outcome.Succeeded);
        Assert.Contains("features_1", outcome.Error, StringComparison.Ordinal);
        outcome = await MethodRunner.RunAsync(reference.Method, reference.Artifact, """{"weight_bits": 12}""", context, TimeSpan.FromMinutes(1));
        Assert.Contains("weight_bits = 12", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Loaded, reference.Host.Plugins.Single(p => p.Id == "quantize").State);
    }
}
