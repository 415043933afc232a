using System.CommandLine;
using System.Globalization;
using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;

namespace AutoCompress.Cli;

/// <summary>`autocompress train-reference`: trains the reference CNN on Fashion-MNIST and reports accuracy and costs.</summary>
internal static class TrainReferenceCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "Minibatch size", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW, warm-up then cosine decay)", DefaultValueFactory = _ => new TrainingOptions().LearningRate };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<int>("--seed") { Description = "Seed for initialization and shuffling", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Where to write the trained weights (safetensors)", DefaultValueFactory = _ => Path.Combine("runs", "reference-cnn.safetensors") };
        var limit = new Option<int>("--train-limit") { Description = "Train on only the first N images (0 = all), for a quick look", DefaultValueFactory = _ => 0 };

        var cmd = new Command("train-reference", "Train the reference CNN on Fashion-MNIST; print test accuracy, MACs and parameters")
        {
            dataDir, epochs, batch, lr, threads, seed, output, limit,
        };
        cmd.SetAction((parse, cancel) => Task.FromResult(Run(
            parse.GetValue(dataDir)!, new TrainingOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                Threads = parse.GetValue(threads), Seed = parse.GetValue(seed),
            }, parse.GetValue(output)!, parse.GetValue(limit), cancel)));
        return cmd;
    }

    private static int Run(string dataDir, TrainingOptions options, string output, int limit, CancellationToken cancel)
    {
        try
        {
            options.Validate();
            var train = FashionMnist.Load(dataDir, train: true);
            var test = FashionMnist.Load(dataDir, train: false);
            var trainSet = limit > 0 ? train.Subset(Enumerable.Range(0, Math.Min(limit, train.Count)).ToArray()) : train.All();
            Console.WriteLine($"AutoCompress {typeof(TrainReferenceCommand).Assembly.GetName().Version} on libtorch {TorchEngine.Version}, {options.Threads} thread(s)");
            Console.WriteLine($"Fashion-MNIST from {dataDir}: {trainSet.Count} training and {test.Count} test images");

            TorchEngine.ManualSeed((ulong)options.Seed);
            using var model = new ReferenceCnn();
            var trace = CostTrace.Measure(model, 1, 28, 28);
            Console.WriteLine($"Reference CNN: {model.ParameterCount():N0} parameters, {trace.TotalMacs:N0} MACs per image");

            var progress = new Progress(options);
            var result = Trainer.Train(model, trainSet, test.All(), Normalization.FashionMnist, options, progress, cancel: cancel);

            var final = result.EpochValidation[^1]!;
            SafeTensors.Save(output, model.StateDict(), new Dictionary<string, string>
            {
                ["model"] = nameof(ReferenceCnn),
                ["dataset"] = "fashion-mnist",
                ["test_accuracy"] = final.Accuracy.ToString("F4", Inv),
            });
            // The description beside the weights: what the RL agents read their layer table from ("model" option).
            var descriptionPath = Path.ChangeExtension(output, ".json");
            // (the described tensors are the model's own; the model's disposal frees them)
            var (description, _) = AutoCompress.Training.Graph.ModuleDescriber.Describe(model, [1, 28, 28], "reference-cnn-w32");
            File.WriteAllText(descriptionPath, description.ToJson());
            Console.WriteLine();
            Console.WriteLine($"test accuracy   {final.Accuracy * 100:F2}% ({final.Samples} images)");
            Console.WriteLine($"test loss       {final.Loss:F4}");
            Console.WriteLine($"MACs            {trace.TotalMacs:N0} per image ({trace.TotalMacs / 1e6:F2} M)");
            Console.WriteLine($"parameters      {model.ParameterCount():N0} ({model.ParameterCount() * 4 / 1024.0:F1} KiB as float32)");
            Console.WriteLine($"training time   {result.Elapsed.TotalSeconds:F1} s ({result.SamplesPerSecond:F0} samples/s)");
            Console.WriteLine($"weights         {Path.GetFullPath(output)}");
            Console.WriteLine($"description     {Path.GetFullPath(descriptionPath)}");
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or DataFormatException
                                      or ArgumentException or TorchException or DllNotFoundException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }

    /// <summary>Writes progress lines as training reports them (synchronously, in order).</summary>
    private sealed class Progress(TrainingOptions options) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress p)
        {
            if (p.Validation is { } v)
                Console.WriteLine($"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  test accuracy {v.Accuracy * 100:F2}%  {p.SamplesPerSecond:F0} samples/s");
            else if (p.Step % (Trainer.ReportEvery * 4) == 0)
                Console.WriteLine($"  step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.LearningRate:G3}  {p.SamplesPerSecond:F0} samples/s (batch {options.BatchSize})");
        }
    }
}
