namespace AutoCompress.Search.Objectives;

/// <summary>
/// Hard constraints on top of another reward: a result that violates one gets no reward (null, which the search
/// treats as a failure, or worst-so-far under the failure-penalty middleware), or the fixed <see cref="Penalty"/>.
/// </summary>
public sealed class ConstrainedReward : RewardFunction
{
    public ConstrainedReward(RewardFunction inner, ConstraintSet constraints, double? penalty = null, string? name = null)
        : base(name ?? inner?.Name ?? DefaultName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(constraints);
        (Inner, Constraints, Penalty) = (inner, constraints, penalty);
    }

    public RewardFunction Inner { get; }

    public ConstraintSet Constraints { get; }

    public double? Penalty { get; }

    public override double? Compute(IReadOnlyDictionary<string, double>? metrics) =>
        Constraints.IsFeasible(metrics) ? Inner.Compute(metrics) : Penalty;
}
