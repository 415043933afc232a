using System.Text.Json.Nodes;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.Memory;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Xunit.Abstractions;

namespace AutoCompress.Evaluators.Compress.Tests;

/// <summary>Real pipelines through the evaluator loaded by the plugin host, with real libtorch training.</summary>
[Collection(CompressGroup.Name)]
public sealed class PipelineTests(CompressFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Always = ["test_accuracy", "validation_accuracy", "macs", "parameters", "seconds"];

    [Fact]
    public async Task Prune_then_quantize_with_dotted_parameters_cuts_macs_and_sets_the_bit_widths()
    {
        var config = fixture.BaseConfig(
            CompressFixture.Step("prune", new JsonObject { ["mode"] = "structured", ["criterion"] = "l1" }),
            CompressFixture.Step("quantize", new JsonObject { ["mode"] = "qat", ["weight_bits"] = 8 }));
        config["prune.target_mac_reduction"] = 0.5;
        config["prune.layer_ratios.features_0"] = 0.3;
        config["quantize.layer_bits.features_4"] = 4.0; // a continuous search parameter landing on a whole number
        config["latency_table"] = fixture.LatencyTablePath;
        var log = new Lines();
        var request = fixture.Request(config);

        var result = await fixture.Evaluate(request, log);

        var m = result.Metrics;
        output.WriteLine(string.Join("\n", m.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {kv.Value}")));
        foreach (var key in Always.Concat(["params", "weight_bytes", "peak_activation_bytes", "counts_macs", "latency_ms", "latency_missing_layers",
                     "prune.mac_reduction", "prune.test_accuracy", "prune.seconds", "quantize.qat_epochs", "quantize.seconds", "storage_bytes"]))
            Assert.True(m.ContainsKey(key), $"missing metric {key}");

        // The MAC budget was met, and the last step's metrics are the trial's.
        Assert.True(m["macs"] <= 0.5 * fixture.ReferenceMacs, $"{m["macs"]} MACs, reference {fixture.ReferenceMacs}");
        Assert.Equal(m["prune.macs"], m["macs"]);
        Assert.Equal(m["quantize.test_accuracy"], m["test_accuracy"]);
        Assert.Equal(1, m["quantize.qat_epochs"]);
        Assert.True(m["test_accuracy"] > 0.6, $"test accuracy {m["test_accuracy"]}");
        Assert.Equal(m["parameters"], m["params"]); // Counts and the traced model agree on parameters

        // The description: the dotted per-layer ratio and bit width took effect.
        Assert.NotNull(result.Description);
        var description = ModelDescription.FromJson(result.Description!);
        var graph = ModelGraph.Build(description);
        Assert.Equal(32 - 9, graph["features_0"].OutputShape.Channels); // floor(0.3 * 32) filters removed
        foreach (var layer in description.Layers.Where(l => l is Conv2dLayer or LinearLayer))
            Assert.Equal(layer.Id == "features_4" ? 4 : 8, layer.Compression?.WeightBits);
        Assert.Contains(log.All, l => l.Contains("step 2/2 'quantize'", StringComparison.Ordinal));

        // Cost models ran on the final, annotated model: weight bytes honour the bit widths.
        var floatGraph = ModelGraph.Build(description with { Layers = description.Layers.Select(l => l with { Compression = null }).ToList() });
        Assert.Equal(graph.Order.Sum(MemoryCostModel.LayerWeightBytes), m["weight_bytes"]);
        Assert.True(m["weight_bytes"] < 0.3 * floatGraph.Order.Sum(MemoryCostModel.LayerWeightBytes), $"{m["weight_bytes"]} weight bytes");
        // Counts also counts the linear layers' bias adds, one per output feature (the convolutions have no bias).
        Assert.Equal(m["macs"] + graph["classifier_1"].OutputShape.Channels + graph["classifier_4"].OutputShape.Channels, m["counts_macs"]);

        // Latency from the table: pruned shapes interpolated from their op family.
        Assert.True(m["latency_missing_layers"] > 0);
        Assert.Equal(CompressFixture.SyntheticLatency(graph), m["latency_ms"], tolerance: 1e-9);
        Assert.True(m["latency_ms"] < CompressFixture.SyntheticLatency(fixture.ReferenceGraph));

        // Artifacts: the final model under the work directory, loadable, measuring what the metrics say; steps removed.
        Assert.All(result.Artifacts, a => Assert.StartsWith(request.WorkDirectory, a, StringComparison.Ordinal));
        Assert.All(result.Artifacts, a => Assert.True(File.Exists(a), a));
        Assert.Equal(["model.json", "model.safetensors", "model.packed.safetensors"], result.Artifacts.Select(Path.GetFileName));
        Assert.Equal(result.Description, File.ReadAllText(result.Artifacts[0]));
        Assert.Equal("model.packed.safetensors", description.Metadata["packed_weights"]);
        Assert.Equal(new FileInfo(result.Artifacts[2]).Length, m["storage_bytes"]);
        Assert.False(Directory.Exists(Path.Combine(request.WorkDirectory, "steps")));
        var data = DatasetLoader.Load(new DatasetSpec { TrainLimit = CompressFixture.TrainLimit }, request.Seed);
        using var reloaded = ModelArtifacts.Load(new ModelArtifact(description, result.Artifacts[1]));
        Assert.Equal(m["validation_accuracy"], Trainer.Evaluate(reloaded, data.Validation, data.Normalization).Accuracy);
    }

    [Fact]
    public async Task Cancellation_stops_a_running_pipeline()
    {
        var config = fixture.BaseConfig(CompressFixture.Step("quantize", new JsonObject { ["mode"] = "qat" }));
        config["epochs"] = 20;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var log = new Lines();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Evaluate(fixture.Request(config), log, cancel.Token));
        output.WriteLine(log.ToString());
    }
}
