using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class SurgeryTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-prune-surgery-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>
    /// Zeroes the given channels (filters, biases, γ, β), prunes with L1 exactly as many channels per
    /// group, checks the zeroed ones are the ones removed and that the smaller network computes the same.
    /// </summary>
    private static void RemovingDeadChannelsKeepsOutputs(GraphModel model, Dictionary<string, int[]> deadByProducer, long[] inputShape)
    {
        using var scope = TorchEngine.NewDisposeScope();
        TestModels.RandomizeBatchNorms(model);
        var deps = ChannelDependencies.Analyze(model.Describe());
        var dead = deadByProducer.ToDictionary(kv => deps.GroupOf(kv.Key)!.Id, kv => kv.Value);
        foreach (var (g, channels) in dead)
            foreach (var c in channels) TestModels.ZeroChannel(model, deps.Groups[g], c);

        var importance = FilterImportance.ForGroups(model, deps, ImportanceCriterion.L1);
        var plan = ChannelPlan.FromImportance(deps, importance, dead.ToDictionary(kv => kv.Key, kv => kv.Value.Length));
        foreach (var (g, channels) in dead)
            Assert.Equal(Enumerable.Range(0, deps.Groups[g].Channels).Except(channels), plan.Kept(g));

        using var pruned = ChannelSurgery.Apply(model, plan);
        var x = Tensor.Randn([3, .. inputShape]);
        var error = TestModels.RelativeError(TestModels.Outputs(model, x), TestModels.Outputs(pruned, x));
        Assert.True(error < 1e-5, $"outputs differ by {error:G3} (relative)");
        Assert.True(MacBudget.Measure(pruned) < MacBudget.Measure(model));
        Assert.True(pruned.ParameterCount() < model.ParameterCount());

        // Control: removing live channels instead does change the outputs, so the comparison can fail.
        var (firstGroup, firstDead) = dead.First();
        var live = Enumerable.Range(0, deps.Groups[firstGroup].Channels).Where(c => !firstDead.Contains(c)).Take(firstDead.Length).ToArray();
        var wrong = new ChannelPlan(deps, new Dictionary<int, IReadOnlyList<int>>
        {
            [firstGroup] = Enumerable.Range(0, deps.Groups[firstGroup].Channels).Except(live).ToList(),
        });
        using var broken = ChannelSurgery.Apply(model, wrong);
        Assert.True(TestModels.RelativeError(TestModels.Outputs(model, x), TestModels.Outputs(broken, x)) > 1e-3);
    }

    [Fact]
    public void Removing_dead_channels_of_the_reference_cnn_leaves_its_outputs_unchanged()
    {
        using var model = TestModels.ReferenceCnn();
        RemovingDeadChannelsKeepsOutputs(model, new Dictionary<string, int[]>
        {
            ["features_0"] = [1, 5, 6, 31],
            ["features_4"] = [0, 10, 63],
            ["features_8"] = [3, 4, 100, 127], // through pool and flatten into classifier_1's columns
            ["classifier_1"] = [2, 50, 77],
        }, [1, 28, 28]);
    }

    [Fact]
    public void Removing_dead_channels_of_a_residual_network_leaves_its_outputs_unchanged()
    {
        TorchEngine.ManualSeed(3);
        using var model = new GraphModel(TestModels.Residual());
        RemovingDeadChannelsKeepsOutputs(model, new Dictionary<string, int[]>
        {
            ["b0_project"] = [3, 9], // the residual group: stem and both projections
            ["b0_expand"] = [0, 20, 47], // through the depthwise conv
            ["b2_project"] = [5],
            ["head_conv"] = [1, 2, 60],
        }, [3, 16, 16]);
    }

    [Fact]
    public void Removing_dead_channels_across_a_concat_leaves_its_outputs_unchanged()
    {
        TorchEngine.ManualSeed(4);
        using var model = new GraphModel(TestModels.Concat());
        RemovingDeadChannelsKeepsOutputs(model, new Dictionary<string, int[]>
        {
            ["b"] = [1, 4], // second input of the concat: offset 8 in the depthwise conv
            ["a"] = [7],
            ["c"] = [0, 9],
            ["fc"] = [11],
        }, [1, 8, 8]);
    }

    [Fact]
    public void Pruning_a_residual_network_by_half_gives_a_valid_smaller_dense_network()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(5);
        using var model = new GraphModel(TestModels.Residual());
        var deps = ChannelDependencies.Analyze(model.Describe());
        var remove = PruningRatios.RemoveCounts(deps, PruningRatios.ForGroups(deps, 0.5, null));
        var plan = ChannelPlan.FromImportance(deps, FilterImportance.ForGroups(model, deps, ImportanceCriterion.L1), remove);
        using var pruned = ChannelSurgery.Apply(model, plan);

        var description = pruned.Describe();
        Assert.Equal(ChannelSurgery.Describe(plan).ToJson(), description.ToJson());
        var graph = ModelGraph.Build(description);
        foreach (var add in graph.Order.Where(n => n.Layer is AddLayer))
        {
            Assert.All(add.InputShapes, s => Assert.Equal(add.InputShapes[0], s));
            Assert.Equal(8, add.OutputShape.Channels);
        }
        foreach (var dw in description.Layers.OfType<Conv2dLayer>().Where(c => c.Id.EndsWith("_dw", StringComparison.Ordinal)))
        {
            Assert.Equal(24, dw.OutChannels);
            Assert.Equal(dw.OutChannels, dw.Groups);
        }
        Assert.Equal(10, description.Layers.OfType<LinearLayer>().Single().OutFeatures);

        var before = MacBudget.Measure(model);
        var after = MacBudget.Measure(pruned);
        Assert.True(after < 0.5 * before, $"{after} MACs after, {before} before");

        var x = Tensor.Randn([2, 3, 16, 16]);
        var outputs = TestModels.Outputs(pruned, x);
        Assert.Equal(20, outputs.Length);

        var artifact = ModelArtifacts.Save(pruned, Path.Combine(dir, "pruned.safetensors"), description);
        using var loaded = ModelArtifacts.Load(artifact with { Description = ModelDescription.FromJson(artifact.Description.ToJson()) });
        Assert.Equal(outputs, TestModels.Outputs(loaded, x));
    }

    [Fact]
    public void The_kept_channels_are_index_selected_copies_of_the_original_weights()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(6);
        using var model = new GraphModel(TestModels.Concat());
        var deps = ChannelDependencies.Analyze(model.Describe());
        var b = deps.GroupOf("b")!.Id;
        var plan = new ChannelPlan(deps, new Dictionary<int, IReadOnlyList<int>> { [b] = [0, 2, 5] });
        using var pruned = ChannelSurgery.Apply(model, plan);
        var before = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        var after = pruned.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        // Depthwise rows: a's 8 channels, then b's kept channels at offset 8.
        long[] rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 13];
        using var index = Tensor.FromArray(rows);
        Assert.Equal(before["dw.weight"].IndexSelect(0, index).ToArray<float>(), after["dw.weight"].ToArray<float>());
        Assert.Equal(before["c.weight"].IndexSelect(1, index).ToArray<float>(), after["c.weight"].ToArray<float>());
        Assert.Equal(before["b.bias"].IndexSelect(0, Tensor.FromArray(new long[] { 0, 2, 5 })).ToArray<float>(), after["b.bias"].ToArray<float>());
        Assert.Equal(11, pruned.Describe().Layers.OfType<Conv2dLayer>().Single(l => l.Id == "dw").Groups);
    }

    [Fact]
    public void Compression_annotations_other_than_the_widths_survive_surgery()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var d = TestModels.Concat();
        d = d with
        {
            Layers = d.Layers.Select(l => l.Id switch
            {
                "c" => l with { Compression = new Compression { WeightBits = 8 } },
                "a_act" => l with { Compression = new Compression { ActivationBits = 8 } },
                _ => l,
            }).ToList(),
        };
        using var model = new GraphModel(d);
        var deps = ChannelDependencies.Analyze(model.Describe());
        var plan = ChannelPlan.FromImportance(deps, FilterImportance.ForGroups(model, deps, ImportanceCriterion.L1),
            PruningRatios.RemoveCounts(deps, PruningRatios.ForGroups(deps, 0.5, null)));
        using var pruned = ChannelSurgery.Apply(model, plan);
        var layers = pruned.Describe().Layers.ToDictionary(l => l.Id);
        Assert.Equal(8, layers["c"].Compression!.WeightBits);
        Assert.Equal(5, ((Conv2dLayer)layers["c"]).OutChannels);
        Assert.Equal(8, layers["a_act"].Compression!.ActivationBits);
        Assert.Equal(model.StateDict().Select(t => t.Name).Order(), pruned.StateDict().Select(t => t.Name).Order());
    }
}
