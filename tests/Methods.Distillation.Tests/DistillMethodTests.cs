using AutoCompress.Contracts.Methods;
using AutoCompress.Data;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Methods.Distillation.Tests;

/// <summary>Distillation end to end on Fashion-MNIST, through the plugin host like any third-party method.</summary>
public sealed class DistillMethodTests : IDisposable
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif
    private readonly string dir = Directory.CreateTempSubdirectory("ac-distill-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string BuiltIn()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return Path.Combine(d.FullName, "build", "plugins", Configuration);
        throw new InvalidOperationException("repository root not found");
    }

    private static readonly DatasetSpec Data = new() { TrainLimit = 4000 };

    private ModelArtifact Save(ReferenceCnn net, string name)
    {
        var (description, weights) = ModuleDescriber.Describe(net, [1, 28, 28], name);
        var path = Path.Combine(dir, name + ".safetensors");
        SafeTensors.Save(path, weights.Select(kv => (kv.Key, kv.Value)));
        return new ModelArtifact(description, path);
    }

    private ModelArtifact TrainedTeacher()
    {
        var splits = DatasetLoader.Load(Data, 0);
        TorchEngine.ManualSeed(1);
        using var teacher = new ReferenceCnn();
        Trainer.Train(teacher, splits.Train, null, splits.Normalization, new TrainingOptions { Epochs = 3, EvaluateEachEpoch = false, Threads = 2 });
        return Save(teacher, "teacher");
    }

    private ModelArtifact FreshStudent(int width)
    {
        TorchEngine.ManualSeed(2);
        using var student = new ReferenceCnn(width: width, hidden: 4 * width);
        return Save(student, "student");
    }

    [Fact]
    public async Task A_half_width_student_learns_from_the_teacher_through_the_host()
    {
        using var host = new PluginHost(new PluginHostOptions { Directories = [BuiltIn()] }, NullLogger<PluginHost>.Instance);
        host.LoadAll();
        var method = host.Get<CompressionMethod>("distill");
        var live = TorchEngine.LiveTensors;
        var teacher = TrainedTeacher();
        var student = FreshStudent(16);
        var log = new List<string>();
        var context = new MethodContext
        {
            WorkDirectory = Path.Combine(dir, "work"), Dataset = Data, Teacher = teacher, Log = new SyncLog(log),
            Budget = new TrainingBudget { Epochs = 2, LearningRate = 3e-3 },
        };
        var outcome = await MethodRunner.RunAsync(method, student, """{"temperature": 4, "alpha": 0.7}""", context, TimeSpan.FromMinutes(20)); // a hang guard, generous: shared CI machines can be slow
        Assert.True(outcome.Succeeded, outcome.Error);
        var m = outcome.Result!.Metrics;
        Assert.InRange(m["student_start_test_accuracy"], 0, 0.3);   // untrained: about chance
        Assert.InRange(m["test_accuracy"], 0.70, 1);                 // 2 epochs over 3,600 images
        Assert.InRange(m["teacher_test_accuracy"], 0.75, 1);
        Assert.Equal(m["teacher_macs"] / 4, m["macs"], 0.05 * m["macs"]); // half width: about a quarter of the MACs
        Assert.Contains(log, l => l.Contains("T=4 alpha=0.7", StringComparison.Ordinal));

        using var loaded = ModelArtifacts.Load(outcome.Result.Model);
        var splits = DatasetLoader.Load(Data, 0);
        Assert.Equal(m["test_accuracy"], Trainer.Evaluate(loaded, splits.Test, splits.Normalization).Accuracy, 6);
        loaded.Dispose();
        Assert.Equal(live, TorchEngine.LiveTensors);
    }

    [Fact]
    public async Task Without_a_teacher_or_with_a_mismatched_one_the_run_fails_saying_why()
    {
        using var host = new PluginHost(new PluginHostOptions { Directories = [BuiltIn()] }, NullLogger<PluginHost>.Instance);
        host.LoadAll();
        var method = host.Get<CompressionMethod>("distill");
        var student = FreshStudent(8);
        var context = new MethodContext { WorkDirectory = Path.Combine(dir, "work"), Dataset = Data };
        var none = await MethodRunner.RunAsync(method, student, "{}", context, TimeSpan.FromMinutes(1));
        Assert.Contains("has no teacher", none.Error);

        TorchEngine.ManualSeed(4);
        using var elevenWay = new ReferenceCnn(numClasses: 11);
        var mismatched = await MethodRunner.RunAsync(method, student, "{}", context with { Teacher = Save(elevenWay, "eleven") }, TimeSpan.FromMinutes(1));
        Assert.Contains("differs from the student's", mismatched.Error);

        var bad = await MethodRunner.RunAsync(method, student, """{"temperature": 0.5}""", context, TimeSpan.FromMinutes(1));
        Assert.Contains("temperature = 0.5 is outside [1, 20]", bad.Error);
    }

    private sealed class SyncLog(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines) lines.Add(value);
        }
    }
}
