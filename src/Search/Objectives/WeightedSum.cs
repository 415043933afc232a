namespace AutoCompress.Search.Objectives;

/// <summary>
/// Σ wᵢ·metricᵢ: the simplest scalarisation. A metric to minimise gets a negative weight. It finds only the convex
/// part of a Pareto front, which is why MnasNet uses a product instead; it is still the right tool when the
/// exchange rate between metrics is known (e.g. 1 % accuracy is worth 2 ms).
/// </summary>
public sealed class WeightedSum : RewardFunction
{
    public WeightedSum(IReadOnlyDictionary<string, double> weights, string name = DefaultName) : base(name)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) throw new ArgumentException("a weighted sum needs at least one weight", nameof(weights));
        Weights = new Dictionary<string, double>(weights, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, double> Weights { get; }

    public override double? Compute(IReadOnlyDictionary<string, double>? metrics)
    {
        var sum = 0.0;
        foreach (var (metric, weight) in Weights)
        {
            if (Get(metrics, metric) is not { } v) return null;
            sum += weight * v;
        }
        return sum;
    }
}
