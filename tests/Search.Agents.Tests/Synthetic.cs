using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Agents;

namespace AutoCompress.Search.Agents.Tests;

/// <summary>
/// A synthetic compression problem whose answer is known: the "accuracy" of a pruned network is
/// 1 − Σ w_l·ratio_l², with a sensitivity w_l per layer, so the best configuration under a MAC budget prunes the
/// insensitive, expensive layers and spares the sensitive ones.
/// </summary>
internal static class Synthetic
{
    public sealed record Layer(string Name, string Kind, long In, long Out, long Kernel, long Stride, double Macs, double Sensitivity, bool Searched = true);

    /// <summary>A chain of eight convolutions and a classifier that is not searched.</summary>
    public static readonly Layer[] Network =
    [
        new("conv1", "conv", 3, 32, 3, 1, 3.0e6, 2.0),
        new("conv2", "conv", 32, 64, 3, 2, 9.0e6, 0.05),
        new("conv3", "conv", 64, 64, 3, 1, 9.0e6, 1.5),
        new("conv4", "conv", 64, 128, 3, 2, 6.0e6, 0.1),
        new("conv5", "conv", 128, 128, 3, 1, 6.0e6, 1.0),
        new("conv6", "conv", 128, 256, 3, 2, 4.0e6, 0.08),
        new("conv7", "conv", 256, 256, 3, 1, 4.0e6, 0.6),
        new("conv8", "conv", 256, 256, 1, 1, 2.0e6, 0.05),
        new("fc", "linear", 256, 10, 1, 1, 2560, 0, Searched: false),
    ];

    public static JsonArray Table(IEnumerable<Layer> layers) => new(layers.Select(l => (JsonNode)new JsonObject
    {
        ["name"] = l.Name, ["kind"] = l.Kind, ["in"] = l.In, ["out"] = l.Out, ["kernel"] = l.Kernel, ["stride"] = l.Stride,
        ["macs"] = l.Macs, ["searched"] = l.Searched,
    }).ToArray());

    public static SearchSpace RatioSpace(IEnumerable<Layer> layers, double high = 0.8) =>
        new(layers.Where(l => l.Searched).Select(l => (Parameter)new ContinuousParameter { Name = "ratio_" + l.Name, Low = 0, High = high }).ToList());

    public static SearchSpace BitSpace(IEnumerable<Layer> layers, long low = 2, long high = 8) =>
        new(layers.Where(l => l.Searched).Select(l => (Parameter)new IntegerParameter { Name = "bits_" + l.Name, Low = low, High = high }).ToList());

    public static StrategyContext Context(SearchSpace space, JsonObject options, long seed) => new()
    {
        Space = space,
        Objectives = [new Objective("accuracy", Direction.Maximize)],
        Seed = seed,
        Options = options,
    };

    public static JsonObject Options(IEnumerable<Layer> layers, double ratio = 0.5, string metric = "macs") => new()
    {
        ["layers"] = Table(layers),
        ["target"] = new JsonObject { ["metric"] = metric, ["ratio"] = ratio },
    };

    /// <summary>The accuracy proxy of a pruning configuration.</summary>
    public static double Accuracy(IEnumerable<Layer> layers, JsonObject config) =>
        1 - layers.Where(l => l.Searched).Sum(l => l.Sensitivity * Math.Pow(config["ratio_" + l.Name]!.GetValue<double>(), 2));

    /// <summary>The MACs of a pruning configuration, computed here independently of the strategy's cost model.</summary>
    public static double Macs(IReadOnlyList<Layer> layers, JsonObject config)
    {
        double Ratio(Layer l) => l.Searched ? config["ratio_" + l.Name]!.GetValue<double>() : 0;
        var total = 0.0;
        for (var i = 0; i < layers.Count; i++)
            total += layers[i].Macs * (1 - Ratio(layers[i])) * (i > 0 ? 1 - Ratio(layers[i - 1]) : 1);
        return total;
    }

    public static Observation Observe(long index, JsonObject config, double accuracy) =>
        new(index, config, 1, new Dictionary<string, double> { ["accuracy"] = accuracy });
}
