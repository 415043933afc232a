using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class SoftPruningTests
{
    private static Dictionary<string, float[]> Snapshot(GraphModel model)
    {
        using var scope = TorchEngine.NewDisposeScope();
        return model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Detach().Contiguous().ToArray<float>());
    }

    private static float[] Row(float[] values, int rows, int row)
    {
        var size = values.Length / rows;
        return values.AsSpan(row * size, size).ToArray();
    }

    [Fact]
    public void The_schedule_rises_steeply_and_reaches_the_target_at_the_last_step()
    {
        using var model = new GraphModel(TestModels.Residual());
        var deps = ChannelDependencies.Analyze(model.Describe());
        var pruner = new SoftFilterPruner(model, deps, PruningRatios.ForGroups(deps, 0.5, null), ImportanceCriterion.L1, 100, new SoftPruningOptions());
        Assert.Equal(0, pruner.Schedule(0));
        Assert.Equal(1, pruner.Schedule(100), 12);
        Assert.True(pruner.Schedule(25) > 0.6); // asymptotic: most of the rate early
        for (var t = 1; t <= 100; t++) Assert.True(pruner.Schedule(t) > pruner.Schedule(t - 1));
    }

    [Fact]
    public void An_update_suppresses_the_lowest_filters_which_still_get_gradients()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(21);
        using var model = new GraphModel(TestModels.Residual());
        var deps = ChannelDependencies.Analyze(model.Describe());
        var ratios = PruningRatios.ForGroups(deps, 0.5, null);
        var pruner = new SoftFilterPruner(model, deps, ratios, ImportanceCriterion.L1, 4, new SoftPruningOptions(Interval: 2));
        var l1 = FilterImportance.ForGroups(model, deps, ImportanceCriterion.L1);
        // A positive β lets the constant output of a zeroed filter through the ReLU6 (with β = 0 the
        // channel would be dead, in soft filter pruning as published too).
        using (TorchEngine.NoGrad()) model.NamedParameters().Single(p => p.Name == "b0_expand_bn.bias").Tensor.Fill(0.5);
        var before = Snapshot(model);

        pruner.AfterStep(0);
        Assert.Equal(0, pruner.Updates);
        pruner.AfterStep(1);
        Assert.Equal(1, pruner.Updates);

        var after = Snapshot(model);
        var expand = deps.GroupOf("b0_expand")!;
        var suppressed = pruner.Suppressed[expand.Id];
        Assert.Equal(PruningRatios.RemoveCount(expand.Channels, 0.5 * pruner.Schedule(2)), suppressed.Length);
        Assert.NotEmpty(suppressed);
        Assert.Equal(ChannelPlan.LowestFirst(l1[expand.Id]).Take(suppressed.Length).Order(), suppressed);
        foreach (var c in Enumerable.Range(0, expand.Channels))
        {
            var zero = suppressed.Contains(c);
            Assert.Equal(zero, Row(after["b0_expand.weight"], expand.Channels, c).All(v => v == 0));
        }
        Assert.Equal(before["b0_dw.weight"], after["b0_dw.weight"]); // the depthwise filters carrying the channels stay
        // The batch norm right behind the zeroed filters sees zero inputs: its running mean and variance follow.
        using (TorchEngine.NoGrad())
        {
            var buffers = model.NamedBuffers().Where(b => b.Name.Contains("running", StringComparison.Ordinal)).ToDictionary(b => b.Name, b => b.Tensor.Detach().ToArray<float>());
            Assert.All(Enumerable.Range(0, expand.Channels), c =>
                Assert.Equal(suppressed.Contains(c), buffers["b0_expand_bn.running_mean"][c] == 0 && buffers["b0_expand_bn.running_var"][c] == 0));
        }
        Assert.Equal(before["b0_expand_bn.weight"], after["b0_expand_bn.weight"]); // γ/β untouched
        Assert.Equal(before["b0_expand_bn.bias"], after["b0_expand_bn.bias"]);

        // A training step still sends gradient to the suppressed filters: they can recover.
        model.Train();
        var x = Tensor.Randn([8, 3, 16, 16]);
        var y = Tensor.FromArray(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 });
        Functional.CrossEntropy(model.Forward(x), y).Backward();
        var grad = model.NamedParameters().Single(p => p.Name == "b0_expand.weight").Tensor.Grad!.Contiguous().ToArray<float>();
        Assert.All(suppressed, c => Assert.Contains(Row(grad, expand.Channels, c), g => g != 0));
        model.ZeroGrad();
    }

    [Fact]
    public void A_decay_shrinks_the_suppressed_filters_instead_of_zeroing_them()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(22);
        using var model = new GraphModel(TestModels.Residual());
        var deps = ChannelDependencies.Analyze(model.Describe());
        var pruner = new SoftFilterPruner(model, deps, PruningRatios.ForGroups(deps, 0.5, null), ImportanceCriterion.L2, 1,
            new SoftPruningOptions(Interval: 1, Decay: 0.25));
        var before = Snapshot(model);
        pruner.AfterStep(0); // the last step: the full rate
        var head = deps.GroupOf("head_conv")!;
        Assert.Equal(32, pruner.Suppressed[head.Id].Length);
        var after = Snapshot(model);
        foreach (var c in Enumerable.Range(0, head.Channels))
        {
            var factor = pruner.Suppressed[head.Id].Contains(c) ? 0.25f : 1f;
            var (b, a) = (Row(before["head_conv.weight"], head.Channels, c), Row(after["head_conv.weight"], head.Channels, c));
            for (var i = 0; i < b.Length; i++) Assert.Equal(b[i] * factor, a[i], 6);
        }
    }
}
