using System.Text.Json.Nodes;
using AutoCompress.Contracts.Models;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Spaces;

namespace AutoCompress.Search.Agents.Tests;

/// <summary>The layer table read off a model description ("model" option) and the parameter prefix.</summary>
public class ModelTableTests
{
    // The reference CNN's description, as `autocompress train-reference` writes it beside the weights.
    private static ModelDescription ReferenceCnn() => new()
    {
        Name = "reference-cnn", InputShape = [1, 28, 28],
        Layers =
        [
            new Conv2dLayer { Id = "features_0", OutChannels = 32, Kernel = 3, Padding = 1 },
            new BatchNormLayer { Id = "features_1" }, new ActivationLayer { Id = "features_2", Function = ActivationFunction.Relu },
            new PoolLayer { Id = "features_3", Kind = PoolKind.Max, Kernel = 2, Stride = 2 },
            new Conv2dLayer { Id = "features_4", OutChannels = 64, Kernel = 3, Padding = 1 },
            new BatchNormLayer { Id = "features_5" }, new ActivationLayer { Id = "features_6", Function = ActivationFunction.Relu },
            new PoolLayer { Id = "features_7", Kind = PoolKind.Max, Kernel = 2, Stride = 2 },
            new Conv2dLayer { Id = "features_8", OutChannels = 128, Kernel = 3, Padding = 1 },
            new BatchNormLayer { Id = "features_9" }, new ActivationLayer { Id = "features_10", Function = ActivationFunction.Relu },
            new PoolLayer { Id = "features_11", Kind = PoolKind.Max, Kernel = 2, Stride = 2 },
            new FlattenLayer { Id = "classifier_0" }, new LinearLayer { Id = "classifier_1", OutFeatures = 128 },
            new ActivationLayer { Id = "classifier_2", Function = ActivationFunction.Relu }, new DropoutLayer { Id = "classifier_3", P = 0.2 },
            new LinearLayer { Id = "classifier_4", OutFeatures = 10 },
        ],
    };

    [Fact]
    public void The_reference_cnn_gives_exact_costs_and_the_chain_of_inputs()
    {
        var table = ModelLayerTable.From(ModelGraph.Build(ReferenceCnn()), "amc");
        Assert.Equal(["features_0", "features_4", "features_8", "classifier_1", "classifier_4"], table.Select(l => l.Name));
        Assert.Equal([28.0 * 28 * 32 * 1 * 9, 14.0 * 14 * 64 * 32 * 9, 7.0 * 7 * 128 * 64 * 9, 1152.0 * 128, 128.0 * 10], table.Select(l => l.Macs));
        Assert.Equal([32.0 * 9, 64.0 * 32 * 9, 128.0 * 64 * 9, 1152.0 * 128, 1280], table.Select(l => l.Params));
        Assert.Equal([null, "features_0", "features_4", "features_8", "classifier_1"], table.Select(l => l.InputFrom));
        Assert.Equal([true, true, true, true, false], table.Select(l => l.Searched)); // the output layer keeps its classes
        Assert.Equal(1152, table[3].In);
    }

    [Fact]
    public void Layers_feeding_a_residual_add_and_depthwise_convolutions_are_not_searched()
    {
        var rng = new Random(3);
        var description = MobileNetV2Space.Network(MobileNetV2Space.Random(rng));
        var graph = ModelGraph.Build(description);
        var table = ModelLayerTable.From(graph, "amc");
        Assert.Contains(table, l => l.Searched);
        foreach (var row in table.Where(l => l.Searched))
        {
            var layer = graph[row.Name].Layer;
            Assert.False(layer is Conv2dLayer { Groups: > 1 }, row.Name);
            Assert.DoesNotContain(graph.Order, n => n.Layer is AddLayer && n.InputIds.Contains(row.Name));
        }
        Assert.Contains(table, l => !l.Searched && graph[l.Name].Layer is Conv2dLayer { Groups: > 1 });
    }

    [Fact]
    public void The_model_option_drives_the_strategy_with_the_parameter_prefix_of_the_compress_evaluator()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amc-model-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ReferenceCnn().ToJson());
        try
        {
            var names = new[] { "features_0", "features_4", "features_8", "classifier_1" };
            var space = new SearchSpace(names.Select(n => (Parameter)new ContinuousParameter { Name = "prune.layer_ratios." + n, Low = 0, High = 0.8 }).ToList());
            var options = new JsonObject
            {
                ["model"] = path, ["parameter_prefix"] = "prune.layer_ratios.",
                ["target"] = new JsonObject { ["metric"] = "macs", ["ratio"] = 0.5 }, ["hidden"] = 16, ["warmup_episodes"] = 2,
            };
            using var amc = new AmcStrategy(Synthetic.Context(space, options, 1));
            var total = amc.Layers.Sum(l => l.Macs);
            foreach (var s in amc.Ask(4))
            {
                Assert.Equal(names.Select(n => "prune.layer_ratios." + n).Order(), s.Config.Select(kv => kv.Key).Order());
                Assert.True(amc.Budget.Cost(names.Select(n => s.Config["prune.layer_ratios." + n]!.GetValue<double>()).Append(0).ToArray()) <= amc.Budget.Budget * (1 + 1e-9));
                Assert.Equal(0.5 * total, amc.Budget.Budget, 6);
            }

            options["layers"] = new JsonArray();
            var both = Assert.Throws<SearchSpaceException>(() => new AmcStrategy(Synthetic.Context(space, options, 1)));
            Assert.Contains("exactly one of the options 'layers'", both.Message, StringComparison.Ordinal);
            options.Remove("layers");
            options["model"] = path + ".missing";
            var missing = Assert.Throws<SearchSpaceException>(() => new AmcStrategy(Synthetic.Context(space, options, 1)));
            Assert.Contains("option 'model'", missing.Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
