using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class ImportanceTests
{
    /// <summary>conv "c" (filters × inChannels × k × k) → flatten → linear: "c" is prunable, its filters set by the test.</summary>
    private static GraphModel ConvWithFilters(float[] filters, int count, int inChannels, int kernel, int size)
    {
        var model = new GraphModel(new ModelDescription
        {
            InputShape = [inChannels, size, size],
            Layers =
            [
                new Conv2dLayer { Id = "c", OutChannels = count, Kernel = kernel, Padding = 0 },
                new FlattenLayer { Id = "f" },
                new LinearLayer { Id = "fc", OutFeatures = 3 },
            ],
        });
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        model.NamedParameters().Single(p => p.Name == "c.weight").Tensor.CopyFrom(Tensor.FromArray(filters, count, inChannels, kernel, kernel));
        return model;
    }

    private static IReadOnlyList<int> Keep(GraphModel model, ImportanceCriterion criterion, int remove)
    {
        var deps = ChannelDependencies.Analyze(model.Describe());
        var g = deps.GroupOf("c")!.Id;
        return ChannelPlan.FromImportance(deps, FilterImportance.ForGroups(model, deps, criterion), new Dictionary<int, int> { [g] = remove }).Kept(g);
    }

    // L1 = 3, 4, 1, 4 and L2 = 3, 2, 0.71, 2.83: the two norms disagree about filters 0 and 1.
    private static readonly float[] NormFilters = [3, 0, 0, 0, 1, 1, 1, 1, 0.5f, 0.5f, 0, 0, 2, 2, 0, 0];

    [Fact]
    public void L1_keeps_the_filters_with_the_largest_absolute_sums()
    {
        using var model = ConvWithFilters(NormFilters, 4, 1, 2, 2);
        Assert.Equal(new[] { 1, 3 }, Keep(model, ImportanceCriterion.L1, 2));
    }

    [Fact]
    public void L2_keeps_the_filters_with_the_largest_euclidean_norms()
    {
        using var model = ConvWithFilters(NormFilters, 4, 1, 2, 2);
        Assert.Equal(new[] { 0, 3 }, Keep(model, ImportanceCriterion.L2, 2));
    }

    [Fact]
    public void Fpgm_removes_a_duplicate_of_the_geometric_median_rather_than_a_small_outlier()
    {
        // Filters as points in the plane: a cluster around (5, 5) with a near-duplicate of its centre,
        // and an outlier near the origin whose norm is the smallest of all.
        float[] points = [5, 5, 5.01f, 5, 6, 5, 5, 6, 4, 5, 5, 4, 0.1f, 0.1f, 7, 7];
        using var model = ConvWithFilters(points, 8, 2, 1, 3);
        var fpgm = Keep(model, ImportanceCriterion.Fpgm, 1);
        var removed = Assert.Single(Enumerable.Range(0, 8).Except(fpgm));
        Assert.Contains(removed, new[] { 0, 1 });
        Assert.Contains(6, fpgm);
        // The norm criteria would throw the outlier away instead.
        Assert.DoesNotContain(6, Keep(model, ImportanceCriterion.L1, 1));
        Assert.DoesNotContain(6, Keep(model, ImportanceCriterion.L2, 1));
    }

    [Fact]
    public void Fpgm_scores_are_summed_distances_to_the_other_filters()
    {
        var scores = FilterImportance.Score([0f, 0, 3, 4, 6, 8], 3, ImportanceCriterion.Fpgm);
        Assert.Equal(new[] { 15.0, 10.0, 15.0 }, scores.Select(s => Math.Round(s, 5)));
    }

    [Fact]
    public void Taylor_ranks_a_channel_the_loss_does_not_depend_on_lowest_even_with_the_largest_weights()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(11);
        using var model = new GraphModel(new ModelDescription
        {
            InputShape = [1, 8, 8],
            Layers =
            [
                new Conv2dLayer { Id = "c1", OutChannels = 4, Kernel = 3 },
                new BatchNormLayer { Id = "bn1" },
                new ActivationLayer { Id = "r1" },
                new Conv2dLayer { Id = "c2", OutChannels = 6, Kernel = 3 },
                new BatchNormLayer { Id = "bn2" },
                new ActivationLayer { Id = "r2" },
                new AdaptiveAvgPoolLayer { Id = "gap" },
                new FlattenLayer { Id = "flat" },
                new LinearLayer { Id = "fc", OutFeatures = 10 },
            ],
        });
        var p = model.NamedParameters().ToDictionary(x => x.Name, x => x.Tensor);
        using (TorchEngine.NoGrad())
        {
            p["c1.weight"].Narrow(0, 2, 1).MulInPlace(5); // the largest filter by any norm...
            p["c2.weight"].Narrow(1, 2, 1).Zero(); // ...feeds nothing downstream
        }
        var deps = ChannelDependencies.Analyze(model.Describe());
        var g = deps.GroupOf("c1")!.Id;
        var data = TestModels.RandomImages(64, 1, 8);
        var scores = TaylorImportance.Measure(model, deps, data, TestModels.Plain, batches: 4, batchSize: 16, seed: 1)[g];

        Assert.Equal(0, scores[2]);
        Assert.All(new[] { 0, 1, 3 }, c => Assert.True(scores[c] > 0, $"channel {c}: {scores[c]}"));
        var remove = new Dictionary<int, int> { [g] = 1 };
        Assert.Equal(new[] { 0, 1, 3 }, ChannelPlan.FromImportance(deps, new Dictionary<int, double[]> { [g] = scores }, remove).Kept(g));
        Assert.Contains(2, ChannelPlan.FromImportance(deps, FilterImportance.ForGroups(model, deps, ImportanceCriterion.L1), remove).Kept(g));
        // Measuring leaves no gradients behind and the model in its mode.
        Assert.All(model.NamedParameters(), x => Assert.Null(x.Tensor.Grad));
        Assert.True(model.Training);
    }

    [Fact]
    public void A_residual_group_is_ranked_by_the_summed_importance_of_its_producers()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(12);
        using var model = new GraphModel(TestModels.Residual());
        var deps = ChannelDependencies.Analyze(model.Describe());
        var group = deps.GroupOf("stem_conv")!;
        var expected = new double[group.Channels];
        foreach (var producer in group.Producers)
        {
            var s = FilterImportance.Score(model.NamedParameters().Single(x => x.Name == $"{producer}.weight").Tensor, ImportanceCriterion.L2);
            for (var c = 0; c < expected.Length; c++) expected[c] += s[c];
        }
        Assert.Equal(expected, FilterImportance.ForGroups(model, deps, ImportanceCriterion.L2)[group.Id]);
    }
}
