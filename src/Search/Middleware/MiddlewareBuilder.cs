using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Objectives;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// Builds the middleware around a strategy from the experiment spec's options, in a fixed order that makes the
/// layers work together (outermost first):
/// reward → median_stopping → dedup → constraint_filter → failure_penalty → strategy.
/// The reward is computed before anything looks at the objective; deduplication sees only what would really run;
/// the constraint filter's rejections reach the failure penalty, which gives them the worst objective values.
/// <para>
/// Spec members (each optional; <c>true</c> means the defaults):
/// <c>"reward": {reward spec, see <see cref="RewardFunction.FromJson"/>}</c>,
/// <c>"median_stopping": true | {"min_trials": 3, "min_fidelity": 0}</c>,
/// <c>"dedup": true | {"max_retries": 20}</c>,
/// <c>"constraint_filter": {"constraints": [...], "max_retries": 50}</c> (needs the cost predictor),
/// <c>"failure_penalty": true | {"penalty": {"metric": value}}</c>.
/// </para>
/// </summary>
public static class MiddlewareBuilder
{
    public static readonly IReadOnlyList<string> Known = ["reward", "median_stopping", "dedup", "constraint_filter", "failure_penalty"];

    /// <summary>
    /// <paramref name="strategy"/> wrapped as <paramref name="spec"/> asks. Find a layer afterwards with
    /// <see cref="StrategyMiddleware.Find{T}"/> (e.g. <see cref="MedianStopping"/> to call ShouldStop).
    /// </summary>
    public static SearchStrategy Compose(SearchStrategy strategy, StrategyContext context, JsonObject? spec,
        Func<JsonObject, IReadOnlyDictionary<string, double>>? costPredictor = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(context);
        if (spec is null || spec.Count == 0) return strategy;
        StrategyOptions.RejectUnknown(spec, "middleware", [.. Known]);
        var s = strategy;

        if (Options(spec, "failure_penalty") is { } penalty)
        {
            StrategyOptions.RejectUnknown(penalty, FailurePenalty.Name, "penalty");
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            if (penalty["penalty"] is JsonObject p)
                foreach (var (metric, v) in p)
                    values[metric] = StrategyOptions.AsNumber(v) ?? throw new SearchSpaceException($"middleware '{FailurePenalty.Name}': penalty for '{metric}' must be a number");
            else if (penalty["penalty"] is not null)
                throw new SearchSpaceException($"middleware '{FailurePenalty.Name}': 'penalty' must be an object like {{\"test_accuracy\": 0}}");
            s = new FailurePenalty(s, context.Objectives, values);
        }
        if (Options(spec, "constraint_filter") is { } filter)
        {
            StrategyOptions.RejectUnknown(filter, ConstraintFilter.Name, "constraints", "max_retries");
            if (costPredictor is null)
                throw new SearchSpaceException($"middleware '{ConstraintFilter.Name}': it needs a cost predictor (the experiment has no cost model to predict with)");
            var constraints = ConstraintSet.FromJson(filter["constraints"], $"middleware '{ConstraintFilter.Name}'");
            s = new ConstraintFilter(s, context.Space, constraints, costPredictor, context.Seed,
                StrategyOptions.Integer(filter, ConstraintFilter.Name, "max_retries", ConstraintFilter.DefaultMaxRetries, 0, 100_000));
        }
        if (Options(spec, "dedup") is { } dedup)
        {
            StrategyOptions.RejectUnknown(dedup, Deduplication.Name, "max_retries");
            s = new Deduplication(s, context.Space, context.Seed,
                StrategyOptions.Integer(dedup, Deduplication.Name, "max_retries", Deduplication.DefaultMaxRetries, 0, 100_000));
        }
        if (Options(spec, "median_stopping") is { } median)
        {
            StrategyOptions.RejectUnknown(median, MedianStopping.Name, "min_trials", "min_fidelity");
            if (context.Objectives.Count == 0) throw new SearchSpaceException($"middleware '{MedianStopping.Name}': the experiment has no objective");
            s = new MedianStopping(s, context.Objectives[0],
                StrategyOptions.Integer(median, MedianStopping.Name, "min_trials", 3, 1, 1_000_000),
                StrategyOptions.Number(median, MedianStopping.Name, "min_fidelity", 0, double.MinValue, double.MaxValue));
        }
        if (spec["reward"] is { } reward)
            s = new RewardMiddleware(s, RewardFunction.FromJson(reward, "middleware 'reward'"));
        return s;
    }

    /// <summary>The options of a layer: null when absent or false, {} for true, the object itself otherwise.</summary>
    private static JsonObject? Options(JsonObject spec, string name)
    {
        var node = spec[name];
        if (node is null) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => [],
            JsonValueKind.False => null,
            JsonValueKind.Object => (JsonObject)node,
            _ => throw new SearchSpaceException($"middleware '{name}': expected true, false or an options object, got {node.ToJsonString()}"),
        };
    }
}
