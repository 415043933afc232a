using System.Text.Json.Serialization;

namespace AutoCompress.Contracts.Search;

/// <summary>Whether a metric is to be made small or large.</summary>
[JsonConverter(typeof(DirectionConverter))]
public enum Direction
{
    Minimize,
    Maximize,
}

/// <summary>Writes "minimize"/"maximize" (lower case, as specs spell them); reads any case.</summary>
public sealed class DirectionConverter() : JsonStringEnumConverter<Direction>(System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

/// <summary>A metric the search optimises.</summary>
/// <param name="Metric">The metric's name as evaluators and cost models report it, e.g. "test_accuracy", "latency_ms".</param>
/// <param name="Direction">Minimize or maximize.</param>
public sealed record Objective(string Metric, Direction Direction)
{
    /// <summary>The metric turned into "larger is better" (negated when minimizing), or null when it is missing.</summary>
    public double? Score(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is not null && metrics.TryGetValue(Metric, out var v) && double.IsFinite(v) ? (Direction == Direction.Maximize ? v : -v) : null;
}
