using System.Globalization;
using AutoCompress.Contracts.Methods;
using AutoCompress.Data;
using AutoCompress.Training;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>What a fine-tuning run of a fractional number of epochs trains on.</summary>
/// <param name="Train">The training images used (all of them, or a seeded random share).</param>
/// <param name="Epochs">Whole passes over <paramref name="Train"/>.</param>
/// <param name="Steps">Optimizer steps in total.</param>
public sealed record FineTuneSchedule(DataSubset Train, int Epochs, long Steps);

/// <summary>
/// Fine-tuning after pruning with the <see cref="Trainer"/> (AdamW, warm-up + cosine, label smoothing
/// 0.1) under the context's budget. The trainer counts whole epochs, so a fractional budget e trains
/// ⌈e⌉ epochs over a seeded random share e/⌈e⌉ of the training split: the same number of samples seen.
/// </summary>
public static class FineTuning
{
    /// <summary>The data and number of epochs for <paramref name="epochs"/> (possibly fractional) epochs; null when epochs ≤ 0.</summary>
    public static FineTuneSchedule? Schedule(DataSubset train, double epochs, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!(epochs > 0) || train.Count == 0) return null;
        var whole = Math.Max(1, (int)Math.Ceiling(epochs - 1e-9));
        var count = Math.Clamp((int)Math.Round(train.Count * epochs / whole), 1, train.Count);
        var subset = train;
        if (count < train.Count)
        {
            var indices = train.Indices.ToArray();
            new Random(seed).Shuffle(indices);
            subset = new DataSubset(train.Dataset, indices[..count]);
        }
        var steps = (long)Math.Ceiling(count / (double)batchSize) * whole;
        return new FineTuneSchedule(subset, whole, steps);
    }

    /// <summary>The trainer settings for fine-tuning under <paramref name="budget"/>.</summary>
    public static TrainingOptions Options(TrainingBudget budget, int epochs, int seed)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new TrainingOptions
        {
            Epochs = epochs, BatchSize = budget.BatchSize, Optimizer = OptimizerKind.AdamW, LearningRate = budget.LearningRate,
            LabelSmoothing = 0.1, Threads = budget.Threads, Seed = seed, EvaluateEachEpoch = false,
        };
    }

    /// <summary>Fine-tunes <paramref name="model"/> for <paramref name="schedule"/>; progress lines go to <paramref name="log"/>.</summary>
    public static TrainResult Run(GraphModel model, FineTuneSchedule schedule, DatasetSplits splits, TrainingBudget budget, int seed,
        TrainingHooks? hooks, IProgress<string>? log, string label, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(splits);
        log?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {schedule.Epochs} epoch(s) over {schedule.Train.Count} images, {schedule.Steps} steps"));
        return Trainer.Train(model, schedule.Train, null, splits.Normalization, Options(budget, schedule.Epochs, seed),
            log is null ? null : new ProgressLines(log, label), hooks, cancel);
    }

    /// <summary>Turns the trainer's reports into log lines, synchronously.</summary>
    private sealed class ProgressLines(IProgress<string> log, string label) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) =>
            log.Report(string.Create(CultureInfo.InvariantCulture,
                $"{label}: step {value.Step}/{value.TotalSteps} loss {value.Loss:F4} lr {value.LearningRate:G3}"));
    }
}
