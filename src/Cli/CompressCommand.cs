using System.CommandLine;
using System.Globalization;
using AutoCompress.Contracts.Methods;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Cli;

/// <summary>
/// `autocompress compress`: applies one compression method plugin (prune, quantize, distill, or a
/// third party's) to a trained model on Fashion-MNIST and prints what it measured. The model is a
/// reference-CNN weights file from `train-reference`, or a model artifact (description JSON + weights).
/// </summary>
internal static class CompressCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "Method plugin id (prune, quantize, distill, ...)", Required = true };
        var config = new Option<string>("--config") { Description = "The method's configuration as JSON", DefaultValueFactory = _ => "{}" };
        var weights = new Option<string>("--weights") { Description = "Reference-CNN weights from train-reference", DefaultValueFactory = _ => Path.Combine("runs", "reference-cnn.safetensors") };
        var model = new Option<string?>("--model") { Description = "A model description JSON (its weights given by --weights) instead of the reference CNN" };
        var teacher = new Option<bool>("--teacher-is-input") { Description = "Use the input model as the teacher (distillation)" };
        var student = new Option<int>("--student-width") { Description = "Distil into a freshly initialized reference CNN of this width (e.g. 16 = half)", DefaultValueFactory = _ => 0 };
        var epochs = new Option<double>("--epochs") { Description = "Training budget in epochs (fine-tuning, QAT, distillation)", DefaultValueFactory = _ => 1 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate of that training", DefaultValueFactory = _ => 1e-3 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var limit = new Option<int>("--train-limit") { Description = "Use only the first N training images (0 = all)", DefaultValueFactory = _ => 0 };
        var plugins = new Option<string[]>("--plugins") { Description = "Plugin directories (default: the built-in plugins)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Folder for the result (description.json, weights)", DefaultValueFactory = _ => Path.Combine("runs", "compressed") };
        var cmd = new Command("compress", "Apply a compression method plugin to a trained model and print accuracy, MACs and size")
        {
            method, config, weights, model, teacher, student, epochs, lr, threads, limit, plugins, output,
        };
        cmd.SetAction(async (parse, cancel) =>
        {
            try
            {
                return await Run(parse.GetValue(method)!, parse.GetValue(config)!, parse.GetValue(weights)!, parse.GetValue(model),
                    parse.GetValue(teacher), parse.GetValue(student), new TrainingBudget
                    {
                        Epochs = parse.GetValue(epochs), LearningRate = parse.GetValue(lr), Threads = parse.GetValue(threads),
                    }, parse.GetValue(limit), parse.GetValue(plugins), parse.GetValue(output)!, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException or PluginLoadException
                                          or TorchException or IOException or System.Text.Json.JsonException
                                          or AutoCompress.Contracts.Models.ModelValidationException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return cmd;
    }

    internal static string DefaultPluginDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "build", "plugins", "Release");
            if (Directory.Exists(candidate)) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "plugins");
    }

    private static async Task<int> Run(string methodId, string config, string weights, string? modelJson, bool teacherIsInput, int studentWidth,
        TrainingBudget budget, int limit, string[]? pluginDirs, string output, CancellationToken cancel)
    {
        var dirs = pluginDirs is { Length: > 0 } ? pluginDirs : [DefaultPluginDirectory()];
        using var host = new PluginHost(new PluginHostOptions { Directories = dirs }, NullLogger<PluginHost>.Instance);
        host.LoadAll();
        foreach (var broken in host.Plugins.Where(p => p.State != PluginState.Loaded))
            await Console.Error.WriteLineAsync($"warning: plugin {broken.Folder} is broken: {broken.Error}").ConfigureAwait(false);
        var method = host.Get<CompressionMethod>(methodId);

        Directory.CreateDirectory(output);
        TorchEngine.Threads = budget.Threads;
        var input = modelJson is null ? ReferenceArtifact(weights, output) : new ModelArtifact(
            AutoCompress.Contracts.Models.ModelDescription.FromJson(await File.ReadAllTextAsync(modelJson, cancel).ConfigureAwait(false)),
            Path.GetFullPath(weights));
        ModelArtifact subject = input;
        if (studentWidth > 0)
        {
            using var fresh = new ReferenceCnn(width: studentWidth, hidden: 4 * studentWidth);
            subject = Save(fresh, Path.Combine(output, "student-init.safetensors"));
        }
        var context = new MethodContext
        {
            WorkDirectory = Path.GetFullPath(output), Dataset = new DatasetSpec { TrainLimit = limit }, Budget = budget,
            Teacher = teacherIsInput || studentWidth > 0 ? input : null,
            Log = new Progress<string>(l => Console.Error.WriteLine($"  {l}")),
        };
        Console.WriteLine($"{method.Id} on {subject.Description.Name} ({budget.Epochs.ToString(Inv)} epoch(s), lr {budget.LearningRate.ToString(Inv)}) with {config}");
        var outcome = await MethodRunner.RunAsync(method, subject, config, context, TimeSpan.FromHours(12), cancel).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            await Console.Error.WriteLineAsync($"error: {outcome.Error}").ConfigureAwait(false);
            return 1;
        }
        var result = outcome.Result!;
        foreach (var (k, v) in result.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {k,-36} {v.ToString(k.Contains("accuracy", StringComparison.Ordinal) ? "P2" : v == Math.Floor(v) ? "N0" : "G4", Inv)}");
        var descriptionPath = Path.Combine(output, "description.json");
        await File.WriteAllTextAsync(descriptionPath, result.Model.Description.ToJson(), cancel).ConfigureAwait(false);
        Console.WriteLine($"model: {Path.GetFullPath(descriptionPath)} + {result.Model.WeightsPath} ({outcome.Elapsed.TotalSeconds:F0} s)");
        return 0;
    }

    // The reference CNN as train-reference saved it, described as a graph for the methods.
    private static ModelArtifact ReferenceArtifact(string weights, string output)
    {
        using var net = new ReferenceCnn();
        using (var scope = TorchEngine.NewDisposeScope()) net.LoadStateDict(SafeTensors.Load(weights));
        return Save(net, Path.Combine(output, "input.safetensors"));
    }

    private static ModelArtifact Save(ReferenceCnn net, string path)
    {
        var (description, tensors) = ModuleDescriber.Describe(net, [1, 28, 28], $"reference-cnn-w{net.Features.Children[0].Module switch { AutoCompress.Torch.NN.Conv2d c => c.OutChannels, _ => 0 }}");
        SafeTensors.Save(path, tensors.Select(kv => (kv.Key, kv.Value)));
        return new ModelArtifact(description, Path.GetFullPath(path));
    }
}
