using System.Diagnostics;
using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Torch.Optim;

namespace AutoCompress.Training;

/// <summary>Progress of a training run, reported after every <see cref="Trainer.ReportEvery"/> steps and at each epoch's end.</summary>
public sealed record TrainProgress(int Epoch, int Epochs, long Step, long TotalSteps, double Loss, double LearningRate,
    double SamplesPerSecond, EvalResult? Validation);

/// <summary>Ways to change the training loop without copying it.</summary>
/// <param name="Loss">Replaces the cross-entropy: given (images, logits, labels) it returns the scalar to minimise
/// (distillation adds a teacher term here).</param>
/// <param name="AfterStep">Runs after every optimizer step with the step index (re-applying pruning masks, soft pruning).</param>
public sealed record TrainingHooks(Func<Tensor, Tensor, Tensor, Tensor>? Loss = null, Action<long>? AfterStep = null);

/// <summary>Accuracy and mean loss over a dataset.</summary>
public sealed record EvalResult(double Accuracy, double Loss, int Samples);

/// <summary>What a finished training run measured.</summary>
public sealed record TrainResult(IReadOnlyList<EvalResult?> EpochValidation, double FinalTrainLoss, TimeSpan Elapsed,
    double SamplesPerSecond);

/// <summary>The training loop: minibatch SGD-family training with a warm-up + cosine schedule, and evaluation.</summary>
public static class Trainer
{
    /// <summary>Steps between progress reports.</summary>
    public const int ReportEvery = 50;

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>. Every tensor made during a step is
    /// freed at the end of that step; only the model's own parameters and buffers outlive the run.
    /// </summary>
    public static TrainResult Train(Module model, DataSubset train, DataSubset? validation, Normalization normalization,
        TrainingOptions options, IProgress<TrainProgress>? progress = null, TrainingHooks? hooks = null, CancellationToken cancel = default)
    {
        options.Validate();
        // A "train" phase in the trial's trace (nothing is recorded when no one listens).
        using var span = AutoCompress.Contracts.Evaluation.EvaluatorTelemetry.StartPhase("train");
        span?.SetTag("autocompress.train.epochs", options.Epochs);
        span?.SetTag("autocompress.train.samples", train.Count);
        if (options.Threads > 0) TorchEngine.Threads = options.Threads;
        TorchEngine.ManualSeed((ulong)options.Seed);

        var loader = new BatchLoader(train, new BatchLoaderOptions
        {
            BatchSize = options.BatchSize, Shuffle = true, Seed = options.Seed, Normalization = normalization,
            Augmentation = options.Augmentation,
        });
        var totalSteps = (long)loader.BatchesPerEpoch * options.Epochs;
        using var optimizer = CreateOptimizer(model, options);
        var schedule = new CosineLr(options.LearningRate, totalSteps, (long)(options.WarmupFraction * totalSteps));

        var perEpoch = new List<EvalResult?>();
        var clock = Stopwatch.StartNew();
        long step = 0, samples = 0;
        double lastLoss = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            model.Train();
            double lossSum = 0;
            var lossCount = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = TorchEngine.NewDisposeScope();
                var lr = schedule.Apply(optimizer, step);
                var (x, y) = batch.ToTensors();
                var logits = model.Forward(x);
                var objective = hooks?.Loss?.Invoke(x, logits, y) ?? Functional.CrossEntropy(logits, y, options.LabelSmoothing);
                optimizer.ZeroGrad();
                objective.Backward();
                optimizer.Step();
                hooks?.AfterStep?.Invoke(step);
                step++;
                samples += batch.Size;
                // Reading the loss synchronizes nothing extra on CPU; keep it off the hot path anyway.
                if (step % ReportEvery == 0 || lossCount == 0)
                {
                    lastLoss = objective.Item();
                    lossSum += lastLoss;
                    lossCount++;
                    progress?.Report(new TrainProgress(epoch + 1, options.Epochs, step, totalSteps, lastLoss, lr,
                        samples / clock.Elapsed.TotalSeconds, null));
                }
            }
            EvalResult? val = null;
            if (validation is not null && options.EvaluateEachEpoch)
                val = Evaluate(model, validation, normalization, Math.Max(options.BatchSize, 256));
            perEpoch.Add(val);
            progress?.Report(new TrainProgress(epoch + 1, options.Epochs, step, totalSteps, lossSum / Math.Max(1, lossCount),
                optimizer.LearningRate, samples / clock.Elapsed.TotalSeconds, val));
        }
        clock.Stop();
        return new TrainResult(perEpoch, lastLoss, clock.Elapsed, samples / clock.Elapsed.TotalSeconds);
    }

    /// <summary>Accuracy and mean cross-entropy of <paramref name="model"/> in eval mode, without gradients.</summary>
    public static EvalResult Evaluate(Module model, DataSubset data, Normalization normalization, int batchSize = 512)
    {
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            var loader = new BatchLoader(data, new BatchLoaderOptions { BatchSize = batchSize, Normalization = normalization });
            long correct = 0;
            double lossSum = 0;
            using var noGrad = TorchEngine.NoGrad();
            foreach (var batch in loader.Epoch(0))
            {
                using var scope = TorchEngine.NewDisposeScope();
                var (x, y) = batch.ToTensors();
                var logits = model.Forward(x);
                lossSum += Functional.CrossEntropy(logits, y, reduction: Reduction.Sum).Item();
                correct += logits.ArgMax(1).Eq(y).Sum().ItemLong();
            }
            return new EvalResult((double)correct / data.Count, lossSum / data.Count, data.Count);
        }
        finally
        {
            if (wasTraining) model.Train();
        }
    }

    private static Optimizer CreateOptimizer(Module model, TrainingOptions o)
    {
        return o.Optimizer switch
        {
            OptimizerKind.AdamW => Adam.W(model.Parameters(), o.LearningRate, o.WeightDecay),
            OptimizerKind.Adam => new Adam(model.Parameters(), o.LearningRate, weightDecay: o.WeightDecay),
            OptimizerKind.SgdNesterov => new Sgd(model.Parameters(), o.LearningRate, o.Momentum, o.WeightDecay, nesterov: true),
            _ => throw new ArgumentOutOfRangeException(nameof(o), o.Optimizer, "unknown optimizer"),
        };
    }
}
