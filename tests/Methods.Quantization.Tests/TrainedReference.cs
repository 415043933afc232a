using AutoCompress.Contracts.Methods;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Methods.Quantization.Tests;

/// <summary>
/// The reference CNN trained ~250 steps on 2,700 Fashion-MNIST images, saved as an artifact, and the
/// quantization plugin loaded from its deployed folder through the plugin host; shared by the end-to-end tests.
/// </summary>
public sealed class TrainedReference : IDisposable
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    public TrainedReference()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ac-quantize-").FullName;
        Data = DatasetLoader.Load(Spec, seed: 0);
        TorchEngine.Threads = 2;
        TorchEngine.ManualSeed(0);
        using var model = new ReferenceCnn();
        Trainer.Train(model, Data.Train, null, Data.Normalization,
            new TrainingOptions { Epochs = 6, BatchSize = 64, Seed = 0, Threads = 2, EvaluateEachEpoch = false });
        var (description, weights) = ModuleDescriber.Describe(model, [1, 28, 28], "reference");
        var path = Path.Combine(Directory, "reference.safetensors");
        SafeTensors.Save(path, weights.Select(kv => (kv.Key, kv.Value)));
        Artifact = new ModelArtifact(description, path);

        Host = new PluginHost(new PluginHostOptions { Directories = [Path.Combine(Root(), "build", "plugins", Configuration)] },
            NullLogger<PluginHost>.Instance);
        Host.LoadAll();
        Method = Host.Get<CompressionMethod>("quantize");
    }

    public static DatasetSpec Spec { get; } = new() { TrainLimit = 3000 };

    public string Directory { get; }
    public DatasetSplits Data { get; }
    public ModelArtifact Artifact { get; }
    public PluginHost Host { get; }
    public CompressionMethod Method { get; }

    public MethodContext Context(string name) => new()
    {
        WorkDirectory = Path.Combine(Directory, name), Dataset = Spec, Seed = 0,
        Budget = new TrainingBudget { Epochs = 1, BatchSize = 64, LearningRate = 1e-3, Threads = 2 },
    };

    /// <summary>Runs the plugin through the method runner; a failure fails the test with its reason.</summary>
    public async Task<CompressionResult> Run(string name, string config)
    {
        var outcome = await MethodRunner.RunAsync(Method, Artifact, config, Context(name), TimeSpan.FromMinutes(20));
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome.Result!;
    }

    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public void Dispose()
    {
        Host.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
