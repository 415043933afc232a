using AutoCompress.Contracts.Methods;
using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Training.Graph;

namespace AutoCompress.Training.Methods;

/// <summary>
/// What every training compression method needs and should not write again: turning a method
/// context's budget into a training run (fractional epochs included) and measuring a result the
/// same way for every method, so that their metrics compare.
/// </summary>
public static class MethodKit
{
    /// <summary>
    /// The training options and data for <paramref name="epochs"/> epochs under <paramref name="context"/>'s budget.
    /// A fraction of an epoch trains one pass over a seeded random subset of that size; above one, epochs are rounded.
    /// </summary>
    public static (TrainingOptions Options, DataSubset Train) Plan(MethodContext context, DatasetSplits data, double epochs,
        double? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        if (!(epochs > 0)) throw new ArgumentException($"epochs must be > 0, got {epochs}", nameof(epochs));
        var train = data.Train;
        if (epochs < 1)
        {
            var n = Math.Max(context.Budget.BatchSize, (int)Math.Round(train.Count * epochs));
            var rng = new Random(context.Seed);
            var picked = train.Indices.ToArray();
            rng.Shuffle(picked);
            train = train.Dataset.Subset(picked[..Math.Min(n, picked.Length)]);
        }
        var options = new TrainingOptions
        {
            Epochs = Math.Max(1, (int)Math.Round(epochs)), BatchSize = context.Budget.BatchSize,
            LearningRate = learningRate ?? context.Budget.LearningRate, Threads = context.Budget.Threads, Seed = context.Seed,
            EvaluateEachEpoch = false,
        };
        return (options, train);
    }

    /// <summary>
    /// Test and validation accuracy, MACs per image and parameter count of <paramref name="model"/>:
    /// the metrics every method reports ("test_accuracy", "validation_accuracy", "macs", "parameters").
    /// </summary>
    public static Dictionary<string, double> Measure(GraphModel model, DatasetSplits data, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var input = model.Graph.Description.InputShape;
        var trace = CostTrace.Measure(model, input.Select(d => (long)d).ToArray());
        return new Dictionary<string, double>
        {
            [prefix + "test_accuracy"] = Trainer.Evaluate(model, data.Test, data.Normalization).Accuracy,
            [prefix + "validation_accuracy"] = Trainer.Evaluate(model, data.Validation, data.Normalization).Accuracy,
            [prefix + "macs"] = trace.TotalMacs,
            [prefix + "parameters"] = model.ParameterCount(),
        };
    }

    /// <summary>A progress sink that forwards each epoch's end and every report to the context's log.</summary>
    public static IProgress<TrainProgress>? LogTo(MethodContext context, string what) =>
        context.Log is not { } log ? null
            : new Progress<TrainProgress>(p => log.Report(
                $"{what}: epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} lr {p.LearningRate:G3}"));
}
