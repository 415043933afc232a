using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Objectives;

/// <summary>
/// The hard constraints of a search. The total violation is the sum of each constraint's violation, or the metric
/// <see cref="ViolationMetric"/> when an observation carries one and it is larger: that is how a constraint filter
/// that never ran a configuration tells the strategy how infeasible its prediction was (the larger of the two, not
/// the sum, so that the same constraints checked by the filter and by the strategy are not counted twice).
/// </summary>
public sealed class ConstraintSet
{
    /// <summary>A metric holding an already computed violation (&gt; 0 means infeasible).</summary>
    public const string ViolationMetric = "constraint_violation";

    public static ConstraintSet None { get; } = new([]);

    public ConstraintSet(IReadOnlyList<Constraint> constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        Items = constraints.ToList();
    }

    public IReadOnlyList<Constraint> Items { get; }

    /// <summary>The total violation: 0 when feasible.</summary>
    public double Violation(IReadOnlyDictionary<string, double>? metrics)
    {
        var total = 0.0;
        foreach (var c in Items) total += c.Violation(metrics);
        if (metrics is not null && metrics.TryGetValue(ViolationMetric, out var extra))
            total = double.IsNaN(extra) ? double.PositiveInfinity : Math.Max(total, extra);
        return total;
    }

    public bool IsFeasible(IReadOnlyDictionary<string, double>? metrics) => Violation(metrics) <= 0;

    /// <summary>A description of what is violated, e.g. "latency_ms = 7.2 > 5", or null when feasible.</summary>
    public string? Describe(IReadOnlyDictionary<string, double>? metrics)
    {
        var parts = new List<string>();
        foreach (var c in Items)
        {
            if (c.Violation(metrics) <= 0) continue;
            if (metrics is null || !metrics.TryGetValue(c.Metric, out var v)) parts.Add($"{c.Metric} is missing");
            else if (c.Max is { } max && v > max) parts.Add(FormattableString.Invariant($"{c.Metric} = {v:G6} > {max:G6}"));
            else parts.Add(FormattableString.Invariant($"{c.Metric} = {v:G6} < {c.Min:G6}"));
        }
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>Parses a JSON array of constraints (null or missing gives no constraints).</summary>
    public static ConstraintSet FromJson(JsonNode? node, string owner)
    {
        if (node is null) return None;
        if (node is not JsonArray array) throw new SearchSpaceException($"{owner}: 'constraints' must be an array like [{{\"metric\": \"latency_ms\", \"max\": 5}}]");
        return new ConstraintSet(array.Select(n => Constraint.FromJson(n, owner)).ToList());
    }
}
