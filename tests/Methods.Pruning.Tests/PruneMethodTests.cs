using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Methods.Pruning.Tests;

/// <summary>The reference CNN briefly trained on a Fashion-MNIST subset, shared by the end-to-end tests.</summary>
public sealed class TrainedReference : IDisposable
{
    public static readonly DatasetSpec Data = new() { TrainLimit = 3000 };

    public TrainedReference()
    {
        using var model = TestModels.ReferenceCnn(seed: 0);
        var splits = DatasetLoader.Load(Data, 0);
        Trainer.Train(model, splits.Train, null, splits.Normalization,
            new TrainingOptions { Epochs = 1, BatchSize = 64, Threads = 2, EvaluateEachEpoch = false });
        Artifact = ModelArtifacts.Save(model, Path.Combine(Directory, "reference.safetensors"));
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("ac-prune-e2e-").FullName;

    public ModelArtifact Artifact { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed class PruneMethodTests(TrainedReference reference) : IClassFixture<TrainedReference>, IDisposable
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif
    private readonly string work = Directory.CreateTempSubdirectory("ac-prune-run-").FullName;
    private readonly List<string> log = new();

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static string PluginFolder()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln")))
                return Path.Combine(d.FullName, "build", "plugins", Configuration, "Methods.Pruning");
        throw new InvalidOperationException("repository root not found");
    }

    private MethodContext Context(double epochs) => new()
    {
        WorkDirectory = work, Dataset = TrainedReference.Data, Seed = 1,
        Budget = new TrainingBudget { Epochs = epochs, BatchSize = 64, Threads = 2 },
        Log = new SyncLog(log),
    };

    private sealed class SyncLog(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines) lines.Add(value);
        }
    }

    private static readonly string[] CommonMetrics =
        ["test_accuracy", "validation_accuracy", "macs", "parameters", "macs_before", "parameters_before", "validation_accuracy_before_finetune"];

    private static void AssertSensible(IReadOnlyDictionary<string, double> m)
    {
        Assert.All(CommonMetrics, k => Assert.True(m.ContainsKey(k), $"metric {k} missing: {string.Join(", ", m.Keys)}"));
        Assert.All(m, kv => Assert.True(double.IsFinite(kv.Value), $"{kv.Key} = {kv.Value}"));
        foreach (var k in new[] { "test_accuracy", "validation_accuracy", "validation_accuracy_before_finetune" })
            Assert.InRange(m[k], 0, 1);
        Assert.True(m["test_accuracy"] > 0.5, string.Join(", ", m.Select(kv => $"{kv.Key} = {kv.Value:G4}")));
    }

    [Fact]
    public async Task Structured_pruning_to_half_the_macs_through_the_plugin_host_gives_a_smaller_working_model()
    {
        using var host = new PluginHost(new PluginHostOptions { Directories = [] }, NullLogger<PluginHost>.Instance);
        var info = host.Load(PluginFolder());
        Assert.True(info.State == PluginState.Loaded, info.Error);
        var method = host.Get<CompressionMethod>("prune");
        Assert.Equal("prune", method.Id);

        var outcome = await MethodRunner.RunAsync(method, reference.Artifact, """{"target_mac_reduction": 0.5, "fine_tune_epochs": 0.3}""",
            Context(1), TimeSpan.FromMinutes(20));
        Assert.True(outcome.Succeeded, outcome.Error);
        var m = outcome.Result!.Metrics;
        AssertSensible(m);
        Assert.True(m["macs"] <= 0.5 * m["macs_before"], $"{m["macs"]} MACs of {m["macs_before"]}");
        Assert.True(m["parameters"] < m["parameters_before"]);
        Assert.True(m["channels_removed"] > 0);

        var artifact = outcome.Result.Model;
        Assert.Equal(Path.Combine(work, PruneMethod.WeightsFile), artifact.WeightsPath);
        using var loaded = ModelArtifacts.Load(artifact);
        Assert.Equal(m["macs"], MacBudget.Measure(loaded));
        Assert.Equal(m["parameters"], loaded.ParameterCount());
        var widths = artifact.Description.Layers.OfType<Conv2dLayer>().Select(c => c.OutChannels).ToList();
        Assert.True(widths.Zip(new[] { 32, 64, 128 }).All(p => p.First < p.Second), string.Join(", ", widths));
        var splits = DatasetLoader.Load(TrainedReference.Data, 1);
        Assert.Equal(m["test_accuracy"], Trainer.Evaluate(loaded, splits.Test, splits.Normalization).Accuracy, 6);
        Assert.Contains(log, l => l.Contains("fine-tune", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unstructured_global_pruning_annotates_the_measured_sparsity_of_each_layer()
    {
        var method = new PruneMethod();
        var config = method.ParseConfig("""{"mode": "unstructured", "scope": "global", "ratio": 0.8, "fine_tune_epochs": 0.2}""");
        var result = await method.RunAsync(reference.Artifact, config, Context(1), CancellationToken.None);
        var m = result.Metrics;
        AssertSensible(m);
        Assert.Equal(0.8, m["sparsity"], 3);
        Assert.Equal(m["macs_before"], m["macs"]);

        var weights = SafeTensors.Load(result.Model.WeightsPath);
        try
        {
            var annotated = result.Model.Description.Layers.Where(l => l.Compression is { Sparsity: > 0 }).ToList();
            Assert.Equal(new[] { "features_0", "features_4", "features_8", "classifier_1" }, annotated.Select(l => l.Id));
            foreach (var layer in annotated)
                Assert.Equal(WeightMasks.ZeroFraction(weights[$"{layer.Id}.weight"]), layer.Compression!.Sparsity, 9);
            Assert.Equal(0, WeightMasks.ZeroFraction(weights["classifier_4.weight"]));
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        ModelGraph.Build(result.Model.Description);
    }

    [Fact]
    public async Task Soft_taylor_pruning_removes_the_channels_after_soft_updates_and_fine_tunes()
    {
        var method = new PruneMethod();
        var config = method.ParseConfig(
            """{"criterion": "taylor", "soft": true, "soft_interval": 8, "ratio": 0.4, "layer_ratios": {"features_0": 0.25}, "taylor_batches": 4}""");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var live = TorchEngine.LiveTensors;
        var result = await method.RunAsync(reference.Artifact, config, Context(1), CancellationToken.None);
        Assert.Equal(live, TorchEngine.LiveTensors); // every tensor of the run was freed deterministically
        var m = result.Metrics;
        AssertSensible(m);
        Assert.True(m["soft_updates"] >= 3, $"{m["soft_updates"]} soft updates");
        // The running statistics follow the suppressed filters, so removing them changes nothing more.
        Assert.Equal(m["validation_accuracy_after_soft"], m["validation_accuracy_before_finetune"], 6);
        var widths = result.Model.Description.Layers.OfType<Conv2dLayer>().ToDictionary(c => c.Id, c => c.OutChannels);
        Assert.Equal(24, widths["features_0"]); // 32 - floor(0.25 * 32)
        Assert.Equal(39, widths["features_4"]); // 64 - floor(0.4 * 64)
        Assert.Equal(77, widths["features_8"]);
        Assert.Equal(77, result.Model.Description.Layers.OfType<LinearLayer>().First().OutFeatures);
        Assert.Contains(log, l => l.StartsWith("soft pruning", StringComparison.Ordinal));
        using var loaded = ModelArtifacts.Load(result.Model);
        Assert.Equal(m["macs"], MacBudget.Measure(loaded));
    }

    [Fact]
    public async Task Cancelling_during_fine_tuning_stops_the_run()
    {
        using var cancel = new CancellationTokenSource();
        var context = Context(5) with { Log = new CancelOn("fine-tune: step", cancel) };
        var method = new PruneMethod();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            method.RunAsync(reference.Artifact, method.ParseConfig("{}"), context, cancel.Token));
        Assert.True(cancel.IsCancellationRequested); // it got as far as fine-tuning...
        Assert.False(File.Exists(Path.Combine(work, PruneMethod.WeightsFile))); // ...and did not finish
    }

    private sealed class CancelOn(string text, CancellationTokenSource cancel) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value.Contains(text, StringComparison.Ordinal)) cancel.Cancel();
        }
    }
}
