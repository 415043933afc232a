using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Agents;

/// <summary>The options of <see cref="AmcStrategy"/>, read from the experiment spec with errors naming the option.</summary>
public sealed record AmcSettings
{
    /// <summary>Reward "accuracy": the objective's score.</summary>
    public const string ScoreReward = "accuracy";

    /// <summary>Reward "amc_error_log_flops": −(1 − score)·ln(cost), AMC's reward for resource-aware search.</summary>
    public const string ErrorLogFlopsReward = "amc_error_log_flops";

    private static readonly string[] Known =
    [
        "layers", "model", "parameter_prefix", "target", "action", "bits", "max_ratio", "reference_bits", "reward", "cost_metric", "warmup_episodes",
        "hidden", "actor_lr", "critic_lr", "tau", "batch_size", "replay_episodes", "sigma", "sigma_decay",
        "baseline_momentum", "discount", "updates_per_episode",
    ];

    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    public required CompressionAction Action { get; init; }

    /// <summary>
    /// What the searched parameters are called: the prefix followed by the layer id. "ratio_" or "bits_" by default;
    /// "prune.layer_ratios." or "quantize.layer_bits." address the compress evaluator's steps directly.
    /// </summary>
    public required string ParameterPrefix { get; init; }

    /// <summary>The budget's metric: "macs" or "params".</summary>
    public required string Metric { get; init; }

    /// <summary>The allowed fraction of the reference cost.</summary>
    public required double Ratio { get; init; }

    public string Reward { get; init; } = ScoreReward;

    /// <summary>The measured cost metric the AMC reward reads (the layer table's cost when the evaluator does not report it).</summary>
    public required string CostMetric { get; init; }

    public double? MaxRatio { get; init; }

    public (long Low, long High)? Bits { get; init; }

    public double? ReferenceBits { get; init; }

    /// <summary>Replay capacity in episodes (times the number of searched layers gives transitions), AMC's 100.</summary>
    public int ReplayEpisodes { get; init; } = 100;

    /// <summary>The DDPG settings (replay capacity and updates still per episode; resolved by the strategy).</summary>
    public required DdpgOptions Ddpg { get; init; }

    /// <summary>Reads the options; <paramref name="defaultAction"/> is what the strategy's name implies.</summary>
    public static AmcSettings Parse(JsonObject options, string strategy, CompressionAction defaultAction)
    {
        ArgumentNullException.ThrowIfNull(options);
        StrategyOptions.RejectUnknown(options, strategy, Known);
        if ((options["layers"] is null) == (options["model"] is null))
            throw new SearchSpaceException($"strategy '{strategy}': give exactly one of the options 'layers' (a layer table) and 'model' (a model description file to read it from)");
        var layers = options["model"] is { } model
            ? ModelLayerTable.Load(model.GetValueKind() == JsonValueKind.String ? model.GetValue<string>()
                : throw new SearchSpaceException($"strategy '{strategy}': option 'model' must be the path of a model description (JSON), got {model.ToJsonString()}"), strategy)
            : LayerSpec.ParseTable(options["layers"], strategy);
        var action = StrategyOptions.Choice(options, strategy, "action", defaultAction == CompressionAction.Prune ? "prune" : "bits", "prune", "bits") == "prune"
            ? CompressionAction.Prune : CompressionAction.Bits;
        if (options["target"] is not JsonObject target)
            throw new SearchSpaceException($"strategy '{strategy}': option 'target' is required, e.g. {{\"metric\": \"macs\", \"ratio\": 0.5}}");
        foreach (var (name, _) in target)
            if (name is not ("metric" or "ratio")) throw new SearchSpaceException($"strategy '{strategy}': option 'target' has unknown member '{name}' (known: metric, ratio)");
        var metric = StrategyOptions.Choice(target, strategy, "metric", "macs", "macs", "params");
        if (!target.ContainsKey("ratio")) throw new SearchSpaceException($"strategy '{strategy}': option 'target' needs a 'ratio' (the fraction of the reference cost allowed)");
        var ratio = StrategyOptions.Number(target, strategy, "ratio", 1, 1e-9, 1);
        var hidden = Hidden(options, strategy);
        var warmup = StrategyOptions.Integer(options, strategy, "warmup_episodes", 10, 0, 1_000_000);
        int? updates = options["updates_per_episode"] is null ? null : StrategyOptions.Integer(options, strategy, "updates_per_episode", 0, 0, 100_000);
        var prefix = options["parameter_prefix"] is null ? (action == CompressionAction.Prune ? "ratio_" : "bits_")
            : options["parameter_prefix"]!.GetValueKind() == JsonValueKind.String ? options["parameter_prefix"]!.GetValue<string>()
            : throw new SearchSpaceException($"strategy '{strategy}': option 'parameter_prefix' must be a string, e.g. \"prune.layer_ratios.\"");
        return new AmcSettings
        {
            Layers = layers,
            Action = action,
            ParameterPrefix = prefix,
            Metric = metric,
            Ratio = ratio,
            Reward = StrategyOptions.Choice(options, strategy, "reward", ScoreReward, ScoreReward, ErrorLogFlopsReward),
            CostMetric = CostMetricOf(options, strategy, metric),
            MaxRatio = options["max_ratio"] is null ? null : StrategyOptions.Number(options, strategy, "max_ratio", 0, 0, 0.999999),
            Bits = BitsOf(options, strategy),
            ReferenceBits = options["reference_bits"] is null ? null : StrategyOptions.Integer(options, strategy, "reference_bits", 32, 1, 64),
            ReplayEpisodes = StrategyOptions.Integer(options, strategy, "replay_episodes", 100, 1, 1_000_000),
            Ddpg = new DdpgOptions
            {
                Hidden = hidden,
                ActorLearningRate = StrategyOptions.Number(options, strategy, "actor_lr", 1e-4, 1e-12, 10),
                CriticLearningRate = StrategyOptions.Number(options, strategy, "critic_lr", 1e-3, 1e-12, 10),
                Tau = StrategyOptions.Number(options, strategy, "tau", 0.01, 1e-9, 1),
                BatchSize = StrategyOptions.Integer(options, strategy, "batch_size", 64, 1, 100_000),
                WarmupEpisodes = warmup,
                InitialSigma = StrategyOptions.Number(options, strategy, "sigma", 0.5, 0, 10),
                SigmaDecay = StrategyOptions.Number(options, strategy, "sigma_decay", 0.99, 1e-9, 1),
                BaselineMomentum = StrategyOptions.Number(options, strategy, "baseline_momentum", 0.9, 0, 0.999999),
                Discount = StrategyOptions.Number(options, strategy, "discount", 0, 0, 1),
                UpdatesPerEpisode = updates,
            },
        };
    }

    private static int[] Hidden(JsonObject options, string strategy)
    {
        var node = options["hidden"];
        if (node is null) return [300, 300];
        if (node is JsonArray array)
        {
            if (array.Count == 0) throw new SearchSpaceException($"strategy '{strategy}': option 'hidden' must list at least one layer size");
            return array.Select((n, i) => StrategyOptions.AsNumber(n) is { } x && x == Math.Floor(x) && x is >= 1 and <= 4096 ? (int)x
                : throw new SearchSpaceException($"strategy '{strategy}': option 'hidden'[{i}] must be an integer in [1, 4096], got {n?.ToJsonString() ?? "null"}")).ToArray();
        }
        var size = StrategyOptions.Integer(options, strategy, "hidden", 300, 1, 4096);
        return [size, size];
    }

    private static string CostMetricOf(JsonObject options, string strategy, string metric)
    {
        var node = options["cost_metric"];
        if (node is null) return metric;
        if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
            throw new SearchSpaceException($"strategy '{strategy}': option 'cost_metric' must be a metric name, got {node.ToJsonString()}");
        return node.GetValue<string>();
    }

    private static (long, long)? BitsOf(JsonObject options, string strategy)
    {
        var node = options["bits"];
        if (node is null) return null;
        if (node is JsonArray { Count: 2 } a && StrategyOptions.AsNumber(a[0]) is { } lo && StrategyOptions.AsNumber(a[1]) is { } hi
            && lo == Math.Floor(lo) && hi == Math.Floor(hi) && lo >= 1 && hi <= 64 && lo <= hi)
            return ((long)lo, (long)hi);
        throw new SearchSpaceException($"strategy '{strategy}': option 'bits' must be [low, high] with 1 <= low <= high <= 64, got {node.ToJsonString()}");
    }
}
