using AutoCompress.Contracts.Methods;
using AutoCompress.Torch;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class BudgetTests
{
    [Fact]
    public void Half_the_macs_is_met_by_the_smallest_uniform_ratio_that_meets_it()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var model = TestModels.ReferenceCnn();
        var deps = ChannelDependencies.Analyze(model.Describe());
        var before = MacBudget.Measure(model);
        var target = before / 2;

        var solution = MacBudget.FindUniformRatio(deps, target);
        Assert.Equal(before, solution.MacsBefore);
        Assert.True(solution.Macs <= target, $"{solution.Macs} > {target}");
        // Any smaller ratio misses the target.
        var below = deps.Groups.Where(g => g.Prunable).ToDictionary(g => g.Id, _ => solution.Ratio - 1e-6);
        Assert.True(MacBudget.MeasurePruned(deps, PruningRatios.RemoveCounts(deps, below)) > target);

        // The real pruned network has those MACs.
        var plan = ChannelPlan.FromImportance(deps, FilterImportance.ForGroups(model, deps, ImportanceCriterion.L1),
            PruningRatios.RemoveCounts(deps, solution.GroupRatios));
        using var pruned = ChannelSurgery.Apply(model, plan);
        Assert.Equal(solution.Macs, MacBudget.Measure(pruned));
        Assert.True(MacBudget.Measure(pruned) <= 0.5 * before);
    }

    [Fact]
    public void Groups_with_a_fixed_ratio_keep_it_while_the_others_make_up_the_budget()
    {
        using var model = TestModels.ReferenceCnn();
        var deps = ChannelDependencies.Analyze(model.Describe());
        var first = deps.GroupOf("features_0")!.Id;
        var target = MacBudget.Measure(model) * 6 / 10;
        var solution = MacBudget.FindUniformRatio(deps, target, new Dictionary<int, double> { [first] = 0 });
        Assert.Equal(0, solution.GroupRatios[first]);
        Assert.True(solution.Ratio > 0);
        Assert.All(solution.GroupRatios.Where(kv => kv.Key != first), kv => Assert.Equal(solution.Ratio, kv.Value));
        Assert.True(solution.Macs <= target);
    }

    [Fact]
    public void An_unreachable_target_fails_naming_what_is_left()
    {
        using var model = TestModels.ReferenceCnn();
        var deps = ChannelDependencies.Analyze(model.Describe());
        var e = Assert.Throws<ConfigException>(() => MacBudget.FindUniformRatio(deps, 1000));
        Assert.Contains("out of reach", e.Message, StringComparison.Ordinal);
    }
}
