using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class UnstructuredTests
{
    private static readonly string[] Layers = ["features_0", "features_4", "features_8", "classifier_1"];

    private static Dictionary<string, float[]> Weights(GraphModel model)
    {
        using var scope = TorchEngine.NewDisposeScope();
        return model.NamedParameters().Where(p => p.Name.EndsWith(".weight", StringComparison.Ordinal))
            .ToDictionary(p => p.Name[..p.Name.IndexOf('.', StringComparison.Ordinal)], p => p.Tensor.Detach().Contiguous().ToArray<float>());
    }

    [Fact]
    public void Per_layer_masks_zero_the_requested_share_of_each_layer_and_only_its_smallest_weights()
    {
        using var model = TestModels.ReferenceCnn();
        var original = Weights(model);
        using var masks = WeightMasks.PerLayer(model, Layers.ToDictionary(l => l, _ => 0.7));
        masks.Apply();
        var pruned = Weights(model);
        foreach (var id in Layers)
        {
            var (w, p) = (original[id], pruned[id]);
            var zeros = p.Count(v => v == 0);
            Assert.Equal((int)Math.Floor(0.7 * w.Length + 1e-9), zeros);
            var largestRemoved = w.Where((_, i) => p[i] == 0).Max(Math.Abs);
            var smallestKept = w.Where((_, i) => p[i] != 0).Min(Math.Abs);
            Assert.True(largestRemoved <= smallestKept, $"{id}: removed |w| {largestRemoved} > kept |w| {smallestKept}");
            Assert.All(Enumerable.Range(0, w.Length).Where(i => p[i] != 0), i => Assert.Equal(w[i], p[i]));
        }
        Assert.Equal(0.7, masks.Sparsity(), 3);
    }

    [Fact]
    public void A_global_threshold_reaches_the_sparsity_overall_with_different_shares_per_layer()
    {
        using var model = TestModels.ReferenceCnn();
        var original = Weights(model);
        using var masks = WeightMasks.Global(model, Layers, 0.8);
        masks.Apply();
        var total = Layers.Sum(l => original[l].Length);
        Assert.Equal(Math.Floor(0.8 * total) / total, masks.Sparsity(), 9);
        var perLayer = masks.LayerSparsity();
        Assert.True(perLayer.Values.Max() - perLayer.Values.Min() > 0.05, string.Join(", ", perLayer));
        // One threshold: every removed weight is at most every kept one, across layers.
        var pruned = Weights(model);
        var removed = Layers.SelectMany(l => original[l].Where((_, i) => pruned[l][i] == 0)).Max(Math.Abs);
        var kept = Layers.SelectMany(l => original[l].Where((_, i) => pruned[l][i] != 0)).Min(Math.Abs);
        Assert.True(removed <= kept);
    }

    [Fact]
    public void Masks_reapplied_after_every_step_survive_fine_tuning()
    {
        using var model = TestModels.ReferenceCnn();
        using var masks = WeightMasks.PerLayer(model, Layers.ToDictionary(l => l, _ => 0.6));
        masks.Apply();
        var before = Weights(model);
        var data = TestModels.RandomImages(256, 1, 28);
        Trainer.Train(model, data, null, TestModels.Plain, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-2, EvaluateEachEpoch = false },
            hooks: new TrainingHooks(AfterStep: _ => masks.Apply()));
        var after = Weights(model);
        foreach (var id in Layers)
        {
            for (var i = 0; i < before[id].Length; i++)
                if (before[id][i] == 0) Assert.Equal(0, after[id][i]);
            // It did train: the surviving weights moved.
            Assert.Contains(Enumerable.Range(0, before[id].Length), i => before[id][i] != 0 && after[id][i] != before[id][i]);
        }
        Assert.Equal(0.6, masks.Sparsity(), 3);

        // Without the hook the same training revives pruned weights (every weight with a gradient moves;
        // those behind units that stay dead on this data keep their zero).
        Trainer.Train(model, data, null, TestModels.Plain, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-2, EvaluateEachEpoch = false });
        Assert.True(masks.Sparsity() < 0.45, $"sparsity {masks.Sparsity()}");
    }
}
