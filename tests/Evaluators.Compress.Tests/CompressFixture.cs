using System.Text.Json.Nodes;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.Latency;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Evaluators.Compress.Tests;

/// <summary>
/// Shared by the test classes: the reference CNN trained briefly (85 steps) on 1,800 Fashion-MNIST images and saved as
/// `autocompress train-reference` saves it (PyTorch names), a plugin directory holding copies of the deployed
/// evaluator, method and cost-model plugins, and a host that loaded them (the in-process tests' plugin lookup).
/// </summary>
public sealed class CompressFixture : IDisposable
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    /// <summary>The deployed plugins the tests install.</summary>
    public static readonly string[] PluginFolders =
        ["Evaluators.Compress", "Methods.Pruning", "Methods.Quantization", "Methods.Distillation", "CostModels.Counts", "CostModels.Memory"];

    /// <summary>Training images used everywhere (1,800 train, 200 validation).</summary>
    public const int TrainLimit = 2000;

    /// <summary>Milliseconds per unit of work in the synthetic latency table.</summary>
    public const double MsPerWork = 1e-6;

    /// <summary>Per-forward overhead in the synthetic latency table.</summary>
    public const double OverheadMs = 0.05;

    private long nextTrial;

    public CompressFixture()
    {
        Root = Directory.CreateTempSubdirectory("ac-compress-").FullName;
        PluginDirectory = Install(Path.Combine(Root, "plugins"));

        TorchEngine.Threads = 2;
        TorchEngine.ManualSeed(0);
        var data = DatasetLoader.Load(new DatasetSpec { TrainLimit = TrainLimit }, seed: 0);
        using (var net = new ReferenceCnn())
        {
            Trainer.Train(net, data.Train, null, data.Normalization,
                new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 0, Threads = 2, EvaluateEachEpoch = false });
            WeightsPath = Path.Combine(Root, "reference.safetensors");
            SafeTensors.Save(WeightsPath, net.StateDict());
            ReferenceMacs = CostTrace.Measure(net, 1, 28, 28).TotalMacs;
            ReferenceParameters = net.ParameterCount();
            ReferenceTestAccuracy = Trainer.Evaluate(net, data.Test, data.Normalization).Accuracy;
            ReferenceGraph = ModelGraph.Build(ModuleDescriber.Describe(net, [1, 28, 28], "reference").Description);
        }
        LatencyTablePath = WriteLatencyTable(Path.Combine(Root, "lut.json"));

        Host = new PluginHost(new PluginHostOptions { Directories = [PluginDirectory] }, NullLogger<PluginHost>.Instance);
        Host.LoadAll();
        var broken = Host.Plugins.Where(p => p.State != PluginState.Loaded).Select(p => $"{p.Id}: {p.Error}").ToList();
        if (broken.Count > 0) throw new InvalidOperationException($"plugins failed to load: {string.Join("; ", broken)}");
        Evaluator = Host.Get<Evaluator>("compress");
    }

    public string Root { get; }
    public string PluginDirectory { get; }
    public string WeightsPath { get; }
    public string LatencyTablePath { get; }
    public long ReferenceMacs { get; }
    public long ReferenceParameters { get; }
    public double ReferenceTestAccuracy { get; }
    public ModelGraph ReferenceGraph { get; }
    public PluginHost Host { get; }
    public Evaluator Evaluator { get; }

    /// <summary>The settings every test starts from: the trained reference, the small data set, one epoch, 2 threads.</summary>
    public JsonObject BaseConfig(params JsonObject[] steps) => new()
    {
        ["weights"] = WeightsPath,
        ["dataset"] = new JsonObject { ["train_limit"] = TrainLimit },
        ["epochs"] = 1,
        ["lr"] = 1e-3,
        ["batch_size"] = 64,
        ["threads"] = 2,
        ["steps"] = new JsonArray(steps.Select(s => (JsonNode)s).ToArray()),
    };

    public static JsonObject Step(string method, JsonObject? config = null) =>
        config is null ? new JsonObject { ["method"] = method } : new JsonObject { ["method"] = method, ["config"] = config };

    /// <summary>A request with a fresh trial id and work directory.</summary>
    public EvaluationRequest Request(JsonObject config, double? fidelity = null)
    {
        var id = Interlocked.Increment(ref nextTrial);
        return new EvaluationRequest(id, "exp-compress", config.ToJsonString(), fidelity, Seed: 1, Path.Combine(Root, "trials", $"t{id}"));
    }

    /// <summary>Runs the evaluator in this process with the host as its plugin lookup.</summary>
    public Task<EvaluationResult> Evaluate(EvaluationRequest request, IProgress<string>? log = null, CancellationToken cancel = default) =>
        Evaluator.EvaluateAsync(request, new EvaluationContext { Log = log, Plugins = Host }, cancel);

    /// <summary>The synthetic table's latency of a graph: overhead plus work times <see cref="MsPerWork"/> per layer.</summary>
    public static double SyntheticLatency(ModelGraph graph) => OverheadMs + graph.Order.Sum(n => LatencyProfiler.Work(n) * MsPerWork);

    // A lookup table with an entry for every layer of the reference, proportional to its work, so that predictions
    // (interpolated for pruned shapes) have a known value.
    private string WriteLatencyTable(string path)
    {
        var table = new LatencyTable { Threads = 1, BatchSize = 1, Engine = "synthetic", OverheadMs = OverheadMs };
        foreach (var node in ReferenceGraph.Order)
            table.Entries[LatencyKey.For(node)] = new LatencyEntry(LatencyProfiler.Work(node) * MsPerWork, 30, LatencyProfiler.Work(node));
        table.Save(path);
        return path;
    }

    private static string Install(string plugins)
    {
        var build = Path.Combine(RepositoryRoot(), "build", "plugins", Configuration);
        foreach (var name in PluginFolders)
        {
            var source = Path.Combine(build, name);
            if (!Directory.Exists(source)) throw new InvalidOperationException($"{source} is missing: build the plugins");
            var target = Directory.CreateDirectory(Path.Combine(plugins, name)).FullName;
            foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        return plugins;
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public void Dispose()
    {
        Host.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class CompressGroup : ICollectionFixture<CompressFixture>
{
    public const string Name = "compress";
}

/// <summary>Collects progress lines synchronously, in order.</summary>
public sealed class Lines : IProgress<string>
{
    public List<string> All { get; } = new();

    public void Report(string value)
    {
        lock (All) All.Add(value);
    }

    public override string ToString()
    {
        lock (All) return string.Join("\n", All);
    }
}
