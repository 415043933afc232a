namespace AutoCompress.Search.Objectives;

/// <summary>
/// The rewards of AMC (He et al. 2018): −error, or −error·log(cost) with the cost in FLOPs/MACs or parameters.
/// The log term keeps rewarding cheaper models a little even when the budget is enforced elsewhere (AMC's
/// resource-constrained mode clips the actions so every model meets the budget, and then only the error matters).
/// The error is taken from an error metric or computed as <see cref="AccuracyMax"/> − accuracy.
/// </summary>
public sealed class AmcReward : RewardFunction
{
    /// <param name="metric">The accuracy metric, or the error metric when <paramref name="isError"/>.</param>
    /// <param name="isError">Whether <paramref name="metric"/> is already an error.</param>
    /// <param name="costMetric">The cost for the −error·log(cost) form, or null for −error.</param>
    /// <param name="accuracyMax">1 for accuracies as fractions, 100 for percentages.</param>
    /// <param name="name">The reward's metric name.</param>
    public AmcReward(string metric, bool isError = false, string? costMetric = null, double accuracyMax = 1, string name = DefaultName) : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        if (costMetric is not null) ArgumentException.ThrowIfNullOrWhiteSpace(costMetric);
        (Metric, IsError, CostMetric, AccuracyMax) = (metric, isError, costMetric, accuracyMax);
    }

    public string Metric { get; }

    public bool IsError { get; }

    public string? CostMetric { get; }

    public double AccuracyMax { get; }

    /// <summary>Null when a metric is missing or the cost is not positive.</summary>
    public override double? Compute(IReadOnlyDictionary<string, double>? metrics)
    {
        if (Get(metrics, Metric) is not { } value) return null;
        var error = IsError ? value : AccuracyMax - value;
        if (CostMetric is null) return -error;
        if (Get(metrics, CostMetric) is not { } cost || cost <= 0) return null;
        return -error * Math.Log(cost);
    }
}
