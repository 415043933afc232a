using AutoCompress.Contracts.Methods;
using AutoCompress.CostModels.Latency;

namespace AutoCompress.Evaluators.Compress;

/// <summary>A model given as a description JSON file and its safetensors weights (named "&lt;layer id&gt;.&lt;tensor&gt;").</summary>
public sealed record ModelPaths(string Description, string Weights);

/// <summary>
/// A trial's configuration for the "compress" evaluator: the request's config, i.e. the experiment's
/// fixed values merged with the strategy's parameters. Parsed by <see cref="CompressConfigParser"/>;
/// every setting is a snake_case top-level key:
/// <list type="table">
/// <item><term>weights</term><description>a reference-CNN state dict with PyTorch names ("features.0.weight"), as
/// <c>autocompress train-reference</c> writes it; its width, hidden size, input channels and classes are read from the
/// tensor shapes. Exactly one of weights and model.</description></item>
/// <item><term>model</term><description>{"description": path, "weights": path}: any model as a description and graph-named weights.</description></item>
/// <item><term>dataset</term><description>a <see cref="DatasetSpec"/>: name, directory, validation_fraction, train_limit.</description></item>
/// <item><term>epochs</term><description>training budget of each step (fine-tuning, QAT, distillation); the request's
/// fidelity, when given, replaces it (fidelity = epochs per step). Default 1.</description></item>
/// <item><term>lr, batch_size, threads</term><description>the rest of each step's <see cref="TrainingBudget"/> (1e-3, 128, 2).</description></item>
/// <item><term>steps</term><description>[{"method": id, "config": {...}, "name": optional}, ...], run in order, each
/// step's output model the next one's input.</description></item>
/// <item><term>&lt;step&gt;.&lt;parameter&gt;[.&lt;member&gt;]</term><description>dotted keys: merged into the named step's
/// config (see <see cref="StepParameter"/> and <see cref="Pipeline"/>).</description></item>
/// <item><term>cost_models</term><description>cost-model plugin ids applied to the final model; default ["counts", "memory"].</description></item>
/// <item><term>latency_table</term><description>a latency lookup table (JSON of the latency-lut cost model); predicts latency_ms.</description></item>
/// <item><term>latency_missing</term><description>what to do with a layer the table lacks: interpolate (default), measure, fail.</description></item>
/// <item><term>step_time_limit_seconds</term><description>each step's time limit in the method runner (default one day).</description></item>
/// <item><term>keep_steps</term><description>keep the intermediate models under "steps/" (default false: removed after success).</description></item>
/// </list>
/// Any other key without a dot is an error naming it, so that a misspelt setting never silently changes a trial.
/// </summary>
public sealed record CompressConfig
{
    /// <summary>The cost models applied when the configuration names none.</summary>
    public static readonly IReadOnlyList<string> DefaultCostModels = ["counts", "memory"];

    public string? Weights { get; init; }
    public ModelPaths? Model { get; init; }
    public DatasetSpec Dataset { get; init; } = new();
    public double Epochs { get; init; } = 1;
    public double LearningRate { get; init; } = 1e-3;
    public int BatchSize { get; init; } = new TrainingBudget().BatchSize;
    public int Threads { get; init; } = new TrainingBudget().Threads;
    public IReadOnlyList<StepSpec> Steps { get; init; } = [];
    public IReadOnlyList<StepParameter> StepParameters { get; init; } = [];
    public IReadOnlyList<string> CostModels { get; init; } = DefaultCostModels;
    public string? LatencyTable { get; init; }
    public MissingKeyPolicy LatencyMissing { get; init; } = MissingKeyPolicy.Interpolate;
    public double StepTimeLimitSeconds { get; init; } = 86_400;
    public bool KeepSteps { get; init; }

    /// <summary>
    /// Also time the final model end to end on this machine (at the latency table's threads and batch) as
    /// "latency_ms_measured", beside the table's prediction "latency_ms": the orchestrator records the cost model's
    /// error from the pair. Needs 'latency_table'.
    /// </summary>
    public bool MeasureLatency { get; init; }

    /// <summary>The training budget of every step: <see cref="Epochs"/>, or <paramref name="fidelity"/> when the request gives one.</summary>
    public TrainingBudget Budget(double? fidelity)
    {
        if (fidelity is { } f && !(f > 0 && double.IsFinite(f)))
            throw new ConfigException($"compress: the request's fidelity (epochs per step) must be a positive number, got {f}");
        return new TrainingBudget { Epochs = fidelity ?? Epochs, BatchSize = BatchSize, LearningRate = LearningRate, Threads = Threads };
    }
}
