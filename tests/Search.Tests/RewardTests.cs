using AutoCompress.Contracts.Search;
using AutoCompress.Search.Objectives;

namespace AutoCompress.Search.Tests;

public class RewardTests
{
    private static Dictionary<string, double> M(params (string, double)[] values) => values.ToDictionary(v => v.Item1, v => v.Item2);

    [Fact]
    public void Mnasnet_reward_uses_alpha_within_the_target_and_beta_above_it()
    {
        var r = new MnasNetReward("acc", "latency_ms", target: 80, alpha: 0, beta: -1);
        Assert.Equal(0.75, r.Compute(M(("acc", 0.75), ("latency_ms", 40)))!.Value, 12);
        Assert.Equal(0.75 * 80 / 160, r.Compute(M(("acc", 0.75), ("latency_ms", 160)))!.Value, 12);
        var soft = new MnasNetReward("acc", "latency_ms", target: 80);
        Assert.Equal(0.75 * Math.Pow(0.5, -0.07), soft.Compute(M(("acc", 0.75), ("latency_ms", 40)))!.Value, 12);
        Assert.Null(soft.Compute(M(("acc", 0.75))));
    }

    [Fact]
    public void Amc_rewards_are_minus_error_and_minus_error_times_log_cost()
    {
        var flops = new AmcReward("acc", costMetric: "macs");
        Assert.Equal(-0.1 * Math.Log(1e6), flops.Compute(M(("acc", 0.9), ("macs", 1e6)))!.Value, 12);
        Assert.Equal(-0.1, new AmcReward("acc").Compute(M(("acc", 0.9)))!.Value, 12);
        Assert.Equal(-7, new AmcReward("top1", accuracyMax: 100).Compute(M(("top1", 93)))!.Value, 12);
        Assert.Equal(-0.25, new AmcReward("error", isError: true).Compute(M(("error", 0.25)))!.Value, 12);
    }

    [Fact]
    public void Rewards_parse_from_a_spec_and_bad_specs_name_the_problem()
    {
        var weighted = RewardFunction.FromJson(Support.Json("""{"type": "weighted_sum", "weights": {"acc": 1, "latency_ms": -0.01}, "name": "score"}"""));
        Assert.Equal("score", weighted.Name);
        Assert.Equal(0.9 - 0.05, weighted.Compute(M(("acc", 0.9), ("latency_ms", 5)))!.Value, 12);

        var constrained = RewardFunction.FromJson(Support.Json(
            """{"type": "constrained", "reward": {"type": "amc", "accuracy": "acc", "cost": "macs"}, "constraints": [{"metric": "macs", "max": 1000}]}"""));
        Assert.Null(constrained.Compute(M(("acc", 0.9), ("macs", 2000))));
        Assert.Equal(-0.1 * Math.Log(500), constrained.Compute(M(("acc", 0.9), ("macs", 500)))!.Value, 12);
        var augmented = constrained.Augment(M(("acc", 0.9), ("macs", 500)))!;
        Assert.Equal(3, augmented.Count);

        var mnas = (MnasNetReward)RewardFunction.FromJson(Support.Json("""{"type": "mnasnet", "accuracy": "acc", "cost": "latency_ms", "target": 5}"""));
        Assert.Equal((-0.07, -0.07), (mnas.Alpha, mnas.Beta));

        Assert.Contains("unknown reward type 'product'", Assert.Throws<SearchSpaceException>(() => RewardFunction.FromJson(Support.Json("""{"type": "product"}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("needs a 'target'", Assert.Throws<SearchSpaceException>(() => RewardFunction.FromJson(Support.Json("""{"type": "mnasnet", "accuracy": "a", "cost": "c"}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of 'accuracy' and 'error'", Assert.Throws<SearchSpaceException>(() => RewardFunction.FromJson(Support.Json("""{"type": "amc"}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("unknown option 'weight'", Assert.Throws<SearchSpaceException>(() => RewardFunction.FromJson(Support.Json("""{"type": "weighted_sum", "weight": {}}"""))).Message, StringComparison.Ordinal);
    }
}
