using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Objectives;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// Adds a computed reward (MnasNet product, AMC reward, weighted sum, constrained) to every result's metrics before
/// the inner strategy sees it, so a single-objective strategy can optimise a combination of metrics by naming the
/// reward's metric as its objective. A result whose reward cannot be computed arrives without it (a failure for the
/// strategy, or the worst value under <see cref="FailurePenalty"/>). Stateless apart from the inner strategy.
/// </summary>
public sealed class RewardMiddleware : StrategyMiddleware
{
    public const string Name = "reward";

    public RewardMiddleware(SearchStrategy inner, RewardFunction reward) : base(inner)
    {
        ArgumentNullException.ThrowIfNull(reward);
        Reward = reward;
    }

    public override string Kind => Name;

    public RewardFunction Reward { get; }

    public override IReadOnlyList<Suggestion> Ask(int max) => Inner.Ask(max);

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        Inner.Tell(observation.Failed ? observation : observation with { Metrics = Reward.Augment(observation.Metrics) });
    }

    protected override void SaveOwn(JsonObject state) { }

    protected override void RestoreOwn(JsonObject state) { }
}
