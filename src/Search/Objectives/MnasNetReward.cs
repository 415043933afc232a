namespace AutoCompress.Search.Objectives;

/// <summary>
/// MnasNet's weighted product (Tan et al. 2019): accuracy × (cost / target)^w with w = <see cref="Alpha"/> when the
/// cost is within the target and <see cref="Beta"/> above it. With α = β = −0.07 (the paper's soft constraint) a model
/// twice as slow must be about 5 % more accurate to score the same, which traces a Pareto curve instead of a single
/// point; α = 0, β = −1 turns the target into a nearly hard constraint.
/// </summary>
public sealed class MnasNetReward : RewardFunction
{
    public const double DefaultExponent = -0.07;

    public MnasNetReward(string accuracyMetric, string costMetric, double target, double alpha = DefaultExponent, double beta = DefaultExponent,
        string name = DefaultName) : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accuracyMetric);
        ArgumentException.ThrowIfNullOrWhiteSpace(costMetric);
        if (!(target > 0) || !double.IsFinite(target)) throw new ArgumentOutOfRangeException(nameof(target), target, "the target must be a positive number");
        (AccuracyMetric, CostMetric, Target, Alpha, Beta) = (accuracyMetric, costMetric, target, alpha, beta);
    }

    public string AccuracyMetric { get; }

    public string CostMetric { get; }

    public double Target { get; }

    public double Alpha { get; }

    public double Beta { get; }

    /// <summary>Null when a metric is missing or the cost is not positive.</summary>
    public override double? Compute(IReadOnlyDictionary<string, double>? metrics)
    {
        if (Get(metrics, AccuracyMetric) is not { } accuracy || Get(metrics, CostMetric) is not { } cost || cost <= 0) return null;
        var w = cost <= Target ? Alpha : Beta;
        return accuracy * Math.Pow(cost / Target, w);
    }
}
