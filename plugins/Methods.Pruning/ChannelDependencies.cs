using AutoCompress.Contracts.Models;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Channel dependency analysis of a <see cref="ModelDescription"/>: which channels must be removed
/// together so that the pruned network is still a valid dense network. A conv2d/linear layer creates a
/// group of channels; batch norm, activations, pooling, dropout, identity and depthwise convolutions
/// carry it on; a flatten turns each channel into H×W consecutive features; a concat places its inputs'
/// groups side by side; a residual add merges the groups of its inputs into one (their widths must stay
/// equal). Groups that reach the model input or output, or a grouped convolution, are frozen.
/// Surgery (<see cref="ChannelSurgery"/>) reads the per-layer layouts worked out here.
/// </summary>
public sealed class ChannelDependencies
{
    private readonly Dictionary<string, IReadOnlyList<ChannelSegment>> outputLayouts;
    private readonly Dictionary<string, IReadOnlyList<ChannelSegment>> inputLayouts;
    private readonly Dictionary<string, ChannelRole> roles;
    private readonly Dictionary<string, int> producedGroup;

    private ChannelDependencies(ModelGraph graph, IReadOnlyList<ChannelGroup> groups,
        Dictionary<string, IReadOnlyList<ChannelSegment>> outputLayouts, Dictionary<string, IReadOnlyList<ChannelSegment>> inputLayouts,
        Dictionary<string, ChannelRole> roles, Dictionary<string, int> producedGroup)
    {
        Graph = graph;
        Groups = groups;
        this.outputLayouts = outputLayouts;
        this.inputLayouts = inputLayouts;
        this.roles = roles;
        this.producedGroup = producedGroup;
    }

    /// <summary>The analysed graph (its description is the one surgery rewrites).</summary>
    public ModelGraph Graph { get; }

    public ModelDescription Description => Graph.Description;

    /// <summary>Every channel group, frozen ones included; a group's <see cref="ChannelGroup.Id"/> is its index here.</summary>
    public IReadOnlyList<ChannelGroup> Groups { get; }

    /// <summary>The conv2d/linear layers whose output channels may be pruned, in execution order.</summary>
    public IReadOnlyList<string> PrunableLayers =>
        Graph.Order.Where(n => producedGroup.TryGetValue(n.Id, out var g) && Groups[g].Prunable).Select(n => n.Id).ToList();

    /// <summary>The conv2d/linear layers whose output channels are (part of) the model output: the final layer(s).</summary>
    public IReadOnlyList<string> OutputLayers
    {
        get
        {
            var outGroups = outputLayouts[Graph.Output.Id].Select(s => s.Group).ToHashSet();
            return Graph.Order.Where(n => producedGroup.TryGetValue(n.Id, out var g) && outGroups.Contains(g)).Select(n => n.Id).ToList();
        }
    }

    /// <summary>How pruning treats the layer <paramref name="layerId"/>.</summary>
    public ChannelRole RoleOf(string layerId) =>
        roles.TryGetValue(layerId, out var r) ? r : throw new ArgumentException($"'{layerId}' is not a layer of the model");

    /// <summary>The group of the channels the conv2d/linear layer <paramref name="layerId"/> creates, or null for other layers.</summary>
    public ChannelGroup? GroupOf(string layerId) => producedGroup.TryGetValue(layerId, out var g) ? Groups[g] : null;

    /// <summary>The channel layout of the layer's output.</summary>
    public IReadOnlyList<ChannelSegment> OutputLayout(string layerId) =>
        outputLayouts.TryGetValue(layerId, out var l) ? l : throw new ArgumentException($"'{layerId}' is not a layer of the model");

    /// <summary>The layout of a producer's input (its weight dimension 1); null for layers whose inputs are not cut.</summary>
    public IReadOnlyList<ChannelSegment>? InputLayout(string layerId) => inputLayouts.GetValueOrDefault(layerId);

    /// <summary>Why <paramref name="layerId"/> cannot be given a pruning ratio, or null when it can.</summary>
    public string? WhyNotPrunable(string layerId)
    {
        if (!roles.TryGetValue(layerId, out var role))
            return $"'{layerId}' is not a layer of the model; prunable layers: {string.Join(", ", PrunableLayers)}";
        if (role == ChannelRole.Depthwise)
            return $"layer '{layerId}' is a depthwise convolution: its channels are its input's, so name the conv2d/linear layer that produces them";
        if (!producedGroup.TryGetValue(layerId, out var g))
            return $"layer '{layerId}' is a {OpName(Graph[layerId].Layer)} layer; only conv2d and linear layers have prunable output channels";
        return Groups[g].FrozenReason is { } why ? $"layer '{layerId}' cannot be pruned: {why}" : null;
    }

    internal static string OpName(Layer layer) => layer switch
    {
        Conv2dLayer => "conv2d",
        LinearLayer => "linear",
        BatchNormLayer => "batch_norm",
        ActivationLayer => "activation",
        PoolLayer => "pool",
        AdaptiveAvgPoolLayer => "adaptive_avg_pool",
        AddLayer => "add",
        ConcatLayer => "concat",
        IdentityLayer => "identity",
        ZeroLayer => "zero",
        FlattenLayer => "flatten",
        DropoutLayer => "dropout",
        _ => layer.GetType().Name,
    };

    /// <summary>Validates <paramref name="description"/> (<see cref="ModelGraph.Build"/>) and analyses it.</summary>
    public static ChannelDependencies Analyze(ModelDescription description) => Analyze(ModelGraph.Build(description));

    /// <summary>Works out the channel groups of <paramref name="graph"/>.</summary>
    /// <exception cref="NotSupportedException">A layer kind the analysis does not know, naming the layer.</exception>
    public static ChannelDependencies Analyze(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var b = new GroupBuilder();
        var layouts = new Dictionary<string, List<ChannelSegment>>();
        var inputLayouts = new Dictionary<string, List<ChannelSegment>>();
        var roles = new Dictionary<string, ChannelRole>();
        var produced = new Dictionary<string, int>();
        var slices = new List<(int Group, GroupSlice Slice)>();
        var consumers = new List<(int Group, string Layer)>();

        var input = graph.InputShape;
        layouts[ModelDescription.InputId] = [new ChannelSegment(b.New(input.Channels, null, "they are the model input"), input.Channels, 1)];

        void AddSlices(string id, ChannelRole role, List<ChannelSegment> layout)
        {
            var offset = 0;
            foreach (var s in layout)
            {
                if (s.Unit != 1) throw new NotSupportedException($"layer '{id}': channels with {s.Unit} features each cannot be cut on dimension 0");
                slices.Add((s.Group, new GroupSlice(id, role, offset)));
                offset += s.Width;
            }
        }

        void Produce(string id, int channels, ChannelRole role, List<ChannelSegment>? consumed, string? frozen)
        {
            var g = b.New(channels, id, frozen);
            produced[id] = g;
            roles[id] = role;
            layouts[id] = [new ChannelSegment(g, channels, 1)];
            slices.Add((g, new GroupSlice(id, role, 0)));
            if (consumed is null) return;
            inputLayouts[id] = consumed;
            foreach (var s in consumed) consumers.Add((s.Group, id));
        }

        foreach (var node in graph.Order)
        {
            var id = node.Id;
            var ins = node.InputIds.Select(i => layouts[i]).ToList();
            var x = ins[0];
            var inC = node.InputShape.Channels;
            var outC = node.OutputShape.Channels;
            roles[id] = ChannelRole.PassThrough;
            switch (node.Layer)
            {
                case Conv2dLayer c when c.Groups == 1:
                    Produce(id, outC, ChannelRole.Producer, x, null);
                    break;
                case Conv2dLayer c when c.Groups == inC && outC == inC:
                    roles[id] = ChannelRole.Depthwise;
                    layouts[id] = x;
                    AddSlices(id, ChannelRole.Depthwise, x);
                    break;
                case Conv2dLayer c:
                {
                    var why = $"grouped convolution '{id}' (groups = {c.Groups}, {inC} -> {outC} channels) ties them";
                    foreach (var s in x) b.Freeze(s.Group, why);
                    Produce(id, outC, ChannelRole.GroupedProducer, null, why);
                    break;
                }
                case LinearLayer:
                    Produce(id, outC, ChannelRole.Producer, x, null);
                    break;
                case BatchNormLayer:
                    roles[id] = ChannelRole.BatchNorm;
                    layouts[id] = x;
                    AddSlices(id, ChannelRole.BatchNorm, x);
                    break;
                case ActivationLayer or PoolLayer or AdaptiveAvgPoolLayer or DropoutLayer or IdentityLayer or ZeroLayer:
                    layouts[id] = x;
                    break;
                case FlattenLayer:
                {
                    var hw = node.InputShape.Flat ? 1 : node.InputShape.Height * node.InputShape.Width;
                    layouts[id] = x.Select(s => s with { Unit = s.Unit * hw }).ToList();
                    break;
                }
                case AddLayer:
                {
                    if (ins.All(l => SameStructure(l, x)))
                    {
                        foreach (var other in ins.Skip(1))
                            for (var i = 0; i < x.Count; i++) b.Union(x[i].Group, other[i].Group);
                    }
                    else
                    {
                        var why = $"add layer '{id}' sums them with channels grouped differently (e.g. a concat)";
                        foreach (var s in ins.SelectMany(l => l)) b.Freeze(s.Group, why);
                    }
                    layouts[id] = x;
                    break;
                }
                case ConcatLayer:
                    layouts[id] = ins.SelectMany(l => l).ToList();
                    break;
                default:
                    throw new NotSupportedException($"layer '{id}': channel pruning does not know the op {node.Layer.GetType().Name}");
            }
        }

        var outputId = graph.Output.Id;
        foreach (var s in layouts[outputId])
            b.Freeze(s.Group, $"they are the model output (layer '{outputId}'); the final layer is never pruned");

        // Number the union-find roots in order of creation and resolve every reference to them.
        var final = b.Resolve();
        ChannelSegment Map(ChannelSegment s) => s with { Group = final[s.Group] };
        var groupCount = final.Length == 0 ? 0 : final.Max() + 1;
        var groups = new List<ChannelGroup>(groupCount);
        for (var g = 0; g < groupCount; g++)
        {
            var members = Enumerable.Range(0, final.Length).Where(r => final[r] == g).ToList();
            groups.Add(new ChannelGroup(
                g,
                b.Channels(members[0]),
                members.Select(b.Producer).OfType<string>().ToList(),
                slices.Where(s => final[s.Group] == g).Select(s => s.Slice).ToList(),
                consumers.Where(c => final[c.Group] == g).Select(c => c.Layer).Distinct().ToList(),
                members.Select(b.FrozenReason).FirstOrDefault(r => r is not null)));
        }
        return new ChannelDependencies(
            graph, groups,
            layouts.Where(kv => kv.Key != ModelDescription.InputId).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<ChannelSegment>)kv.Value.Select(Map).ToList()),
            inputLayouts.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<ChannelSegment>)kv.Value.Select(Map).ToList()),
            roles,
            produced.ToDictionary(kv => kv.Key, kv => final[kv.Value]));
    }

    private static bool SameStructure(List<ChannelSegment> a, List<ChannelSegment> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Channels == p.Second.Channels && p.First.Unit == p.Second.Unit);

    /// <summary>Union-find over the groups created while walking the graph.</summary>
    private sealed class GroupBuilder
    {
        private readonly List<int> parent = new();
        private readonly List<int> channels = new();
        private readonly List<string?> producer = new();
        private readonly List<string?> frozen = new();

        public int New(int count, string? producerId, string? frozenReason)
        {
            parent.Add(parent.Count);
            channels.Add(count);
            producer.Add(producerId);
            frozen.Add(frozenReason);
            return parent.Count - 1;
        }

        public int Find(int g)
        {
            while (parent[g] != g) g = parent[g] = parent[parent[g]];
            return g;
        }

        public void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb) return;
            if (channels[ra] != channels[rb])
                throw new InvalidOperationException($"internal error: merging channel groups of {channels[ra]} and {channels[rb]} channels");
            // The older group stays the root, so numbering follows creation order.
            if (ra < rb) parent[rb] = ra;
            else parent[ra] = rb;
        }

        public void Freeze(int g, string reason) => frozen[g] ??= reason;

        public int Channels(int g) => channels[g];

        public string? Producer(int g) => producer[g];

        public string? FrozenReason(int g) => frozen[g];

        /// <summary>For every group created, the dense number of its root (roots numbered by creation).</summary>
        public int[] Resolve()
        {
            var number = new Dictionary<int, int>();
            var result = new int[parent.Count];
            for (var g = 0; g < parent.Count; g++)
            {
                var root = Find(g);
                if (!number.TryGetValue(root, out var n)) number[root] = n = number.Count;
                result[g] = n;
            }
            return result;
        }
    }
}
