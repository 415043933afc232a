using System.Text.RegularExpressions;

namespace AutoCompress.Contracts.Models;

/// <summary>A layer placed in a validated graph: its resolved inputs and the shapes in and out.</summary>
public sealed record GraphNode(Layer Layer, IReadOnlyList<string> InputIds, IReadOnlyList<FeatureShape> InputShapes, FeatureShape OutputShape)
{
    public string Id => Layer.Id;
    public FeatureShape InputShape => InputShapes[0];
}

/// <summary>
/// A <see cref="ModelDescription"/> that has been checked: unique ids, no dangling edge, no cycle,
/// valid attributes and annotations, and consistent shapes, all inferred. Every failure is a
/// <see cref="ModelValidationException"/> naming the layer.
/// </summary>
public sealed partial class ModelGraph
{
    private readonly Dictionary<string, GraphNode> byId;

    private ModelGraph(ModelDescription description, FeatureShape input, List<GraphNode> order, GraphNode output)
    {
        Description = description;
        InputShape = input;
        Order = order;
        Output = output;
        byId = order.ToDictionary(n => n.Id);
    }

    public ModelDescription Description { get; }
    public FeatureShape InputShape { get; }

    /// <summary>Every layer in a valid execution order (inputs before their consumers).</summary>
    public IReadOnlyList<GraphNode> Order { get; }

    public GraphNode Output { get; }

    public GraphNode this[string id] => byId.TryGetValue(id, out var n) ? n : throw new KeyNotFoundException($"no layer '{id}'");

    /// <summary>Validates <paramref name="d"/> and infers every shape.</summary>
    public static ModelGraph Build(ModelDescription d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var input = InputShapeOf(d.InputShape);
        if (d.Layers is null || d.Layers.Count == 0) throw new ModelValidationException(null, "the model has no layers");

        // Ids and resolved inputs.
        var inputs = new Dictionary<string, IReadOnlyList<string>>();
        var layers = new Dictionary<string, Layer>();
        string previous = ModelDescription.InputId;
        foreach (var layer in d.Layers)
        {
            if (layer is null) throw new ModelValidationException(null, "a layer is null");
            if (string.IsNullOrEmpty(layer.Id) || !IdPattern().IsMatch(layer.Id))
                throw new ModelValidationException(layer.Id, "ids may contain only letters, digits, '_' and '-'");
            if (layer.Id == ModelDescription.InputId)
                throw new ModelValidationException(layer.Id, $"'{ModelDescription.InputId}' is reserved for the model input");
            if (!layers.TryAdd(layer.Id, layer)) throw new ModelValidationException(layer.Id, "the id is used by another layer too");
            inputs[layer.Id] = layer.Inputs is { Count: > 0 } ? layer.Inputs : [previous];
            previous = layer.Id;
        }
        foreach (var (id, ins) in inputs)
            foreach (var src in ins)
                if (src != ModelDescription.InputId && !layers.ContainsKey(src))
                    throw new ModelValidationException(id, $"input '{src}' is not a layer of this model (dangling edge)");

        var order = TopologicalOrder(d.Layers, inputs);
        var outputId = d.Output ?? d.Layers[^1].Id;
        if (!layers.ContainsKey(outputId)) throw new ModelValidationException(null, $"output '{outputId}' is not a layer of this model");

        var shapes = new Dictionary<string, FeatureShape> { [ModelDescription.InputId] = input };
        var nodes = new List<GraphNode>(order.Count);
        foreach (var layer in order)
        {
            var ins = inputs[layer.Id];
            var inShapes = ins.Select(i => shapes[i]).ToList();
            CheckCompression(layer);
            var output = Infer(layer, inShapes);
            shapes[layer.Id] = output;
            nodes.Add(new GraphNode(layer, ins, inShapes, output));
        }
        return new ModelGraph(d, input, nodes, nodes.First(n => n.Id == outputId));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();

    private static FeatureShape InputShapeOf(IReadOnlyList<int>? s)
    {
        if (s is null || (s.Count != 1 && s.Count != 3))
            throw new ModelValidationException(null, "input_shape must be [channels, height, width] or [features]");
        if (s.Any(v => v <= 0))
            throw new ModelValidationException(null, $"input_shape [{string.Join(", ", s)}] has a zero or negative size");
        return s.Count == 3 ? FeatureShape.Map(s[0], s[1], s[2]) : FeatureShape.Vector(s[0]);
    }

    // Kahn's algorithm, stable in declaration order; what is left over lies on or behind a cycle.
    private static List<Layer> TopologicalOrder(IReadOnlyList<Layer> declared, Dictionary<string, IReadOnlyList<string>> inputs)
    {
        var pending = declared.ToDictionary(l => l.Id, l => inputs[l.Id].Count(i => i != ModelDescription.InputId));
        var consumers = declared.ToDictionary(l => l.Id, _ => new List<string>());
        foreach (var l in declared)
            foreach (var src in inputs[l.Id])
                if (src != ModelDescription.InputId) consumers[src].Add(l.Id);
        var byId = declared.ToDictionary(l => l.Id);
        var ready = new SortedSet<(int, string)>(declared.Select((l, i) => (i, l.Id)).Where(x => pending[x.Id] == 0));
        var index = declared.Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var order = new List<Layer>(declared.Count);
        while (ready.Count > 0)
        {
            var (_, id) = ready.Min;
            ready.Remove(ready.Min);
            order.Add(byId[id]);
            foreach (var c in consumers[id])
                if (--pending[c] == 0) ready.Add((index[c], c));
        }
        if (order.Count < declared.Count)
        {
            // Walk back along unfinished inputs until a layer repeats: that layer is on a cycle.
            var seen = new List<string>();
            var at = declared.First(l => pending[l.Id] > 0).Id;
            while (!seen.Contains(at))
            {
                seen.Add(at);
                at = inputs[at].First(i => i != ModelDescription.InputId && pending[i] > 0);
            }
            var cycle = seen.SkipWhile(s => s != at).Reverse().Prepend(at);
            throw new ModelValidationException(at, $"is on a cycle: {string.Join(" -> ", cycle)}");
        }
        return order;
    }

    private static void CheckCompression(Layer layer)
    {
        if (layer.Compression is not { } c) return;
        if (c.KeptChannels is { } kept)
        {
            var total = layer switch
            {
                Conv2dLayer conv => conv.OutChannels,
                LinearLayer lin => lin.OutFeatures,
                _ => throw new ModelValidationException(layer.Id, "kept_channels applies to conv2d and linear layers only"),
            };
            if (kept.Count == 0) throw new ModelValidationException(layer.Id, "kept_channels is empty: at least one channel must stay");
            for (var i = 0; i < kept.Count; i++)
            {
                if (kept[i] < 0 || kept[i] >= total)
                    throw new ModelValidationException(layer.Id, $"kept channel {kept[i]} is outside 0..{total - 1}");
                if (i > 0 && kept[i] <= kept[i - 1])
                    throw new ModelValidationException(layer.Id, "kept_channels must be strictly ascending");
            }
        }
        if ((c.WeightBits is not null || c.Sparsity != 0) && layer is not (Conv2dLayer or LinearLayer))
            throw new ModelValidationException(layer.Id, "weight_bits and sparsity apply to conv2d and linear layers only");
        if (c.WeightBits is < 1 or > 32) throw new ModelValidationException(layer.Id, $"weight_bits {c.WeightBits} is outside 1..32");
        if (c.ActivationBits is < 1 or > 32) throw new ModelValidationException(layer.Id, $"activation_bits {c.ActivationBits} is outside 1..32");
        if (!Enum.IsDefined(c.WeightGranularity))
            throw new ModelValidationException(layer.Id, $"weight_granularity {(int)c.WeightGranularity} is unknown; known: per_channel, per_tensor, group");
        if ((c.WeightGranularity != WeightGranularity.PerChannel || c.WeightGroupSize is not null) && c.WeightBits is null)
            throw new ModelValidationException(layer.Id, "weight_granularity and weight_group_size need weight_bits");
        if (c.WeightGranularity == WeightGranularity.Group && c.WeightGroupSize is null)
            throw new ModelValidationException(layer.Id, "weight_group_size is required with weight_granularity group");
        if (c.WeightGranularity != WeightGranularity.Group && c.WeightGroupSize is not null)
            throw new ModelValidationException(layer.Id, "weight_group_size applies to weight_granularity group only");
        if (c.WeightGroupSize is < 1) throw new ModelValidationException(layer.Id, $"weight_group_size {c.WeightGroupSize} must be positive");
        if (c.Sparsity is < 0 or >= 1 || double.IsNaN(c.Sparsity))
            throw new ModelValidationException(layer.Id, $"sparsity {c.Sparsity} is outside [0, 1)");
    }

    /// <summary>Output channels after compression: the kept count when channels were pruned.</summary>
    public static int EffectiveOutChannels(Layer layer) => layer switch
    {
        Conv2dLayer c => c.Compression?.KeptChannels?.Count ?? c.OutChannels,
        LinearLayer l => l.Compression?.KeptChannels?.Count ?? l.OutFeatures,
        _ => throw new ArgumentException($"layer '{layer.Id}' has no output channels of its own"),
    };

    private static FeatureShape Infer(Layer layer, List<FeatureShape> ins)
    {
        ModelValidationException Bad(string problem) => new(layer.Id, problem);
        var expectsOne = layer is not (AddLayer or ConcatLayer);
        if (expectsOne && ins.Count != 1) throw Bad($"takes exactly one input, got {ins.Count}");
        if (!expectsOne && ins.Count < 2) throw Bad($"needs at least two inputs, got {ins.Count}");
        var x = ins[0];

        void NeedMap(string op)
        {
            if (x.Flat) throw Bad($"{op} needs a feature map (C×H×W) but gets the flat vector {x}");
        }

        // PyTorch's output size; a window that does not fit at all gives 0 (C#'s division would round -1/2 up to 0).
        static int Out(int size, int kernel, int stride, int padding, int dilation)
        {
            var span = size + 2 * padding - dilation * (kernel - 1) - 1;
            return span < 0 ? 0 : span / stride + 1;
        }

        switch (layer)
        {
            case Conv2dLayer c:
            {
                NeedMap("conv2d");
                if (c.OutChannels <= 0 || c.Kernel <= 0 || c.Stride <= 0 || c.Dilation <= 0 || c.Groups <= 0 || c.EffectivePadding < 0)
                    throw Bad($"out_channels {c.OutChannels}, kernel {c.Kernel}, stride {c.Stride}, dilation {c.Dilation} and groups {c.Groups} must be positive and padding {c.EffectivePadding} not negative");
                var outC = EffectiveOutChannels(c);
                if (x.Channels % c.Groups != 0 || outC % c.Groups != 0)
                    throw Bad($"groups {c.Groups} must divide the {x.Channels} input channels and the {outC} output channels");
                var h = Out(x.Height, c.Kernel, c.Stride, c.EffectivePadding, c.Dilation);
                var w = Out(x.Width, c.Kernel, c.Stride, c.EffectivePadding, c.Dilation);
                if (h <= 0 || w <= 0) throw Bad($"kernel {c.Kernel} (dilation {c.Dilation}, padding {c.EffectivePadding}) does not fit the input {x}");
                return FeatureShape.Map(outC, h, w);
            }
            case LinearLayer l:
                if (!x.Flat) throw Bad($"linear needs a flat input but gets {x}; add a flatten layer before it");
                if (l.OutFeatures <= 0) throw Bad($"out_features {l.OutFeatures} must be positive");
                return FeatureShape.Vector(EffectiveOutChannels(l));
            case BatchNormLayer bn:
                NeedMap("batch_norm");
                if (!(bn.Eps > 0)) throw Bad($"eps {bn.Eps} must be positive");
                return x;
            case PoolLayer p:
            {
                NeedMap("pool");
                if (p.Kernel <= 0 || p.EffectiveStride <= 0 || p.Padding < 0 || p.Padding > p.Kernel / 2)
                    throw Bad($"kernel {p.Kernel} and stride {p.EffectiveStride} must be positive and padding {p.Padding} at most half the kernel");
                var h = Out(x.Height, p.Kernel, p.EffectiveStride, p.Padding, 1);
                var w = Out(x.Width, p.Kernel, p.EffectiveStride, p.Padding, 1);
                if (h <= 0 || w <= 0) throw Bad($"pool kernel {p.Kernel} does not fit the input {x}");
                return FeatureShape.Map(x.Channels, h, w);
            }
            case AdaptiveAvgPoolLayer a:
                NeedMap("adaptive_avg_pool");
                if (a.OutputSize <= 0) throw Bad($"output_size {a.OutputSize} must be positive");
                return FeatureShape.Map(x.Channels, a.OutputSize, a.OutputSize);
            case AddLayer:
                foreach (var s in ins)
                    if (s != x) throw Bad($"add needs inputs of one shape, got {string.Join(" and ", ins.Distinct())}");
                return x;
            case ConcatLayer:
                foreach (var s in ins)
                    if (s.Flat || s.Height != x.Height || s.Width != x.Width)
                        throw Bad($"concat needs feature maps of one height and width, got {string.Join(", ", ins)}");
                return FeatureShape.Map(ins.Sum(s => s.Channels), x.Height, x.Width);
            case FlattenLayer:
                return FeatureShape.Vector(checked((int)x.Elements));
            case DropoutLayer dr:
                if (dr.P is < 0 or >= 1) throw Bad($"dropout p {dr.P} is outside [0, 1)");
                return x;
            case ActivationLayer or IdentityLayer or ZeroLayer:
                return x;
            default:
                throw Bad($"unknown op {layer.GetType().Name}");
        }
    }
}
