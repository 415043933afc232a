using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Objectives;

/// <summary>
/// Combines the metrics of a result (accuracy from the evaluator, latency or MACs from cost models) into one number
/// that a single-objective strategy maximises. The reward is added to the metrics under <see cref="Name"/>, so the
/// search's objective is simply that metric (see <c>RewardMiddleware</c>). Null means it cannot be computed
/// (a metric is missing, or a hard constraint is violated), which the strategy treats as a failure.
/// </summary>
public abstract class RewardFunction
{
    public const string DefaultName = "reward";

    protected RewardFunction(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The metric the reward is reported as.</summary>
    public string Name { get; }

    /// <summary>The reward (larger is better), or null when it cannot be computed.</summary>
    public abstract double? Compute(IReadOnlyDictionary<string, double>? metrics);

    /// <summary>The metrics with the reward added (unchanged when it cannot be computed; null stays null).</summary>
    public IReadOnlyDictionary<string, double>? Augment(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null) return null;
        var result = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        if (Compute(metrics) is { } r) result[Name] = r;
        else result.Remove(Name);
        return result;
    }

    /// <summary>A metric's value when present and finite.</summary>
    protected static double? Get(IReadOnlyDictionary<string, double>? metrics, string metric) =>
        metrics is not null && metrics.TryGetValue(metric, out var v) && double.IsFinite(v) ? v : null;

    /// <summary>
    /// Parses a reward spec. Types: "weighted_sum" {"weights": {"metric": w, ...}}; "mnasnet" {"accuracy", "cost",
    /// "target", "alpha" = -0.07, "beta" = -0.07}; "amc" {"accuracy" or "error", "cost" (optional), "accuracy_max" = 1};
    /// "constrained" {"reward": {...}, "constraints": [...], "penalty" (optional)}. Every type takes "name" = "reward".
    /// </summary>
    public static RewardFunction FromJson(JsonNode? spec, string owner = "reward")
    {
        if (spec is not JsonObject o) throw new SearchSpaceException($"{owner}: a reward must be an object with a 'type'");
        var type = o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        var name = o["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : DefaultName;
        switch (type)
        {
            case "weighted_sum":
            {
                StrategyOptions.RejectUnknown(o, owner, "type", "name", "weights");
                if (o["weights"] is not JsonObject w || w.Count == 0)
                    throw new SearchSpaceException($"{owner}: 'weighted_sum' needs 'weights', e.g. {{\"test_accuracy\": 1, \"latency_ms\": -0.01}}");
                var weights = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (metric, value) in w)
                    weights[metric] = StrategyOptions.AsNumber(value) is { } x && double.IsFinite(x) ? x
                        : throw new SearchSpaceException($"{owner}: weight of '{metric}' must be a finite number");
                return new WeightedSum(weights, name);
            }
            case "mnasnet":
            {
                StrategyOptions.RejectUnknown(o, owner, "type", "name", "accuracy", "cost", "target", "alpha", "beta");
                return new MnasNetReward(Text(o, owner, "accuracy"), Text(o, owner, "cost"),
                    StrategyOptions.Number(o, owner, "target", double.NaN, double.Epsilon, double.MaxValue) is var target && double.IsNaN(target)
                        ? throw new SearchSpaceException($"{owner}: 'mnasnet' needs a 'target' (> 0) for the cost") : target,
                    StrategyOptions.Number(o, owner, "alpha", MnasNetReward.DefaultExponent, -10, 10),
                    StrategyOptions.Number(o, owner, "beta", MnasNetReward.DefaultExponent, -10, 10), name);
            }
            case "amc":
            {
                StrategyOptions.RejectUnknown(o, owner, "type", "name", "accuracy", "error", "cost", "accuracy_max");
                var hasAccuracy = o["accuracy"] is not null;
                if (hasAccuracy == (o["error"] is not null))
                    throw new SearchSpaceException($"{owner}: 'amc' needs exactly one of 'accuracy' and 'error'");
                return new AmcReward(hasAccuracy ? Text(o, owner, "accuracy") : Text(o, owner, "error"), !hasAccuracy,
                    o["cost"] is null ? null : Text(o, owner, "cost"),
                    StrategyOptions.Number(o, owner, "accuracy_max", 1, double.Epsilon, double.MaxValue), name);
            }
            case "constrained":
            {
                StrategyOptions.RejectUnknown(o, owner, "type", "name", "reward", "constraints", "penalty");
                var inner = FromJson(o["reward"], owner + ".reward");
                var constraints = ConstraintSet.FromJson(o["constraints"], owner);
                if (constraints.Items.Count == 0) throw new SearchSpaceException($"{owner}: 'constrained' needs at least one constraint");
                double? penalty = o["penalty"] is null ? null : StrategyOptions.Number(o, owner, "penalty", 0, double.MinValue, double.MaxValue);
                return new ConstrainedReward(inner, constraints, penalty, o["name"] is null ? inner.Name : name);
            }
            default:
                throw new SearchSpaceException($"{owner}: unknown reward type '{type}' (known: weighted_sum, mnasnet, amc, constrained)");
        }
    }

    private static string Text(JsonObject o, string owner, string member) =>
        o[member] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s
            : throw new SearchSpaceException($"{owner}: '{member}' must name a metric");
}
