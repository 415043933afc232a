using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Objectives;

/// <summary>
/// A hard limit on one metric (latency at most 5 ms, accuracy at least 0.9). Its violation is how far the metric lies
/// beyond the bound, relative to the bound's size, so that violations of metrics in different units can be added up
/// (Deb's constraint domination compares total violations).
/// </summary>
/// <param name="Metric">The metric's name, e.g. "latency_ms".</param>
/// <param name="Min">The smallest allowed value, or null.</param>
/// <param name="Max">The largest allowed value, or null.</param>
public sealed record Constraint(string Metric, double? Min = null, double? Max = null)
{
    /// <summary>
    /// 0 when satisfied, otherwise the distance beyond the bound divided by |bound| (by 1 when the bound is 0);
    /// +infinity when the metric is missing or not finite, since nothing shows it is satisfied.
    /// </summary>
    public double Violation(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null || !metrics.TryGetValue(Metric, out var v) || !double.IsFinite(v)) return double.PositiveInfinity;
        var violation = 0.0;
        if (Max is { } max && v > max) violation += (v - max) / Scale(max);
        if (Min is { } min && v < min) violation += (min - v) / Scale(min);
        return violation;
    }

    private static double Scale(double bound) => Math.Abs(bound) > 0 ? Math.Abs(bound) : 1;

    /// <summary>Parses {"metric": "latency_ms", "max": 5} (and/or "min"); errors name <paramref name="owner"/>.</summary>
    public static Constraint FromJson(JsonNode? node, string owner)
    {
        if (node is not JsonObject o) throw new SearchSpaceException($"{owner}: a constraint must be an object like {{\"metric\": \"latency_ms\", \"max\": 5}}");
        StrategyOptions.RejectUnknown(o, owner, "metric", "min", "max");
        var metric = o["metric"] is JsonValue m && m.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s
            : throw new SearchSpaceException($"{owner}: a constraint needs a 'metric' name");
        double? Bound(string name)
        {
            if (o[name] is null) return null;
            var value = StrategyOptions.AsNumber(o[name]);
            return value is { } x && double.IsFinite(x) ? x
                : throw new SearchSpaceException($"{owner}: constraint on '{metric}': '{name}' must be a finite number, got {o[name]!.ToJsonString()}");
        }
        var (min, max) = (Bound("min"), Bound("max"));
        if (min is null && max is null) throw new SearchSpaceException($"{owner}: constraint on '{metric}' needs 'min' or 'max'");
        if (min > max) throw new SearchSpaceException($"{owner}: constraint on '{metric}': min ({min}) is above max ({max})");
        return new Constraint(metric, min, max);
    }
}
