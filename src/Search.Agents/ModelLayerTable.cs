using AutoCompress.Contracts.Models;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Agents;

/// <summary>
/// The agent's layer table read off a model description (the "model" option), so a user points the agent at the
/// network instead of typing the table. Every conv2d and linear layer is a row, in execution order, with its exact
/// MACs per image and weight count. A layer is searched unless pruning it on its own would break the network or is
/// not meaningful: the output layer (its outputs are the classes), grouped and depthwise convolutions (their channels
/// are tied to their input's), and layers whose output reaches a residual add or a concat before the next conv or
/// linear layer (the channels are shared with another branch). A layer's <see cref="LayerSpec.InputFrom"/> is the
/// conv or linear layer that feeds it through channel-preserving layers only (batch norm, activations, pooling,
/// flatten, dropout, identity), when that layer is searched.
/// </summary>
public static class ModelLayerTable
{
    /// <summary>Reads a model description file; errors name the option and the file.</summary>
    public static IReadOnlyList<LayerSpec> Load(string path, string strategy)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new SearchSpaceException($"strategy '{strategy}': option 'model': file '{Path.GetFullPath(path)}' does not exist");
        ModelGraph graph;
        try
        {
            graph = ModelGraph.Build(ModelDescription.FromJson(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is ModelValidationException or System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
        {
            throw new SearchSpaceException($"strategy '{strategy}': option 'model': '{path}' is not a valid model description: {e.Message}", e);
        }
        return From(graph, strategy);
    }

    /// <summary>The table of a validated graph.</summary>
    public static IReadOnlyList<LayerSpec> From(ModelGraph graph, string strategy)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var consumers = new Dictionary<string, List<GraphNode>>(StringComparer.Ordinal);
        foreach (var node in graph.Order)
            foreach (var input in node.InputIds)
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }

        var searched = new Dictionary<string, bool>(StringComparer.Ordinal);
        var table = new List<LayerSpec>();
        foreach (var node in graph.Order)
        {
            if (node.Layer is not (Conv2dLayer or LinearLayer)) continue;
            var (inputs, outputs, kernel, stride, macs, weights) = node.Layer switch
            {
                Conv2dLayer c => ((long)node.InputShape.Channels, (long)c.OutChannels, (long)c.Kernel, (long)c.Stride,
                    (double)node.OutputShape.Height * node.OutputShape.Width * c.OutChannels * (node.InputShape.Channels / c.Groups) * c.Kernel * c.Kernel,
                    (double)c.OutChannels * (node.InputShape.Channels / c.Groups) * c.Kernel * c.Kernel),
                LinearLayer l => (node.InputShape.Elements, (long)l.OutFeatures, 1L, 1L,
                    (double)node.InputShape.Elements * l.OutFeatures, (double)node.InputShape.Elements * l.OutFeatures),
                _ => throw new InvalidOperationException("unreachable"),
            };
            var isSearched = !Reaches(node, consumers, n => n.Id == graph.Output.Id, includeSelf: true) && node.Layer is not Conv2dLayer { Groups: > 1 } && !Reaches(node, consumers, n => n.Layer is AddLayer or ConcatLayer, includeSelf: false);
            searched[node.Id] = isSearched;
            var producer = Producer(graph, node);
            var inputFrom = producer is not null && searched.GetValueOrDefault(producer) ? producer : null;
            table.Add(new LayerSpec(node.Id, node.Layer is Conv2dLayer ? "conv" : "linear", inputs, outputs, kernel, stride,
                Math.Max(macs, 1), weights, inputFrom, isSearched));
        }
        if (table.Count == 0) throw new SearchSpaceException($"strategy '{strategy}': option 'model': the model has no conv2d or linear layer");
        if (!table.Any(l => l.Searched))
            throw new SearchSpaceException($"strategy '{strategy}': option 'model': no layer can be searched (only the output layer, grouped convolutions or layers feeding a residual add or concat)");
        return table;
    }

    private static bool Transparent(Layer layer) =>
        layer is BatchNormLayer or ActivationLayer or PoolLayer or AdaptiveAvgPoolLayer or FlattenLayer or DropoutLayer or IdentityLayer;

    // Whether a node the predicate picks is reached from the layer through channel-preserving layers (or is the layer).
    private static bool Reaches(GraphNode node, Dictionary<string, List<GraphNode>> consumers, Func<GraphNode, bool> picked, bool includeSelf)
    {
        if (includeSelf && picked(node)) return true;
        var stack = new Stack<GraphNode>([node]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            foreach (var next in consumers.GetValueOrDefault(current.Id) ?? [])
            {
                if (next.Layer is Conv2dLayer or LinearLayer) continue; // its own channels, not ours
                if (picked(next)) return true;
                if (Transparent(next.Layer)) stack.Push(next);
            }
        }
        return false;
    }

    // The conv or linear layer whose output channels are this layer's input channels, or null.
    private static string? Producer(ModelGraph graph, GraphNode node)
    {
        var current = node;
        while (current.InputIds.Count == 1 && current.InputIds[0] != ModelDescription.InputId)
        {
            var previous = graph[current.InputIds[0]];
            if (previous.Layer is Conv2dLayer or LinearLayer) return previous.Id;
            if (!Transparent(previous.Layer)) return null;
            current = previous;
        }
        return null;
    }
}
