using AutoCompress.Contracts.Models;

namespace AutoCompress.Search.Spaces;

/// <summary>
/// The NAS-Bench-201 cell space (Dong and Yang, ICLR 2020): a cell is a 4-node DAG whose 6 edges
/// each carry one of 5 ops; the network is a 3×3 conv stem, three stages of 5 cells (16, 32, 64
/// channels) joined by two ResNet reduction blocks, then BN-ReLU, global pooling and a classifier.
/// </summary>
public static class Nb201Space
{
    /// <summary>The edge ops, in the benchmark's order.</summary>
    public static readonly IReadOnlyList<string> Ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>Edges as (to, from) node pairs, in the order of the architecture string.</summary>
    public static readonly IReadOnlyList<(int To, int From)> Edges = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)];

    /// <summary>Metadata key holding the canonical architecture string.</summary>
    public const string ArchKey = "nasbench201.arch";

    /// <summary>Number of cells in the space (5^6).</summary>
    public const int Size = 15625;

    /// <summary>Parses "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|" into the 6 edge ops (edge order of <see cref="Edges"/>).</summary>
    public static string[] Parse(string arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var nodes = arch.Split('+');
        var ops = new List<string>();
        if (nodes.Length != 3) throw new FormatException($"'{arch}' is not a NAS-Bench-201 cell: it needs 3 node groups separated by '+'");
        for (var i = 0; i < 3; i++)
        {
            var parts = nodes[i].Trim('|').Split('|');
            if (parts.Length != i + 1) throw new FormatException($"'{arch}': node {i + 1} needs {i + 1} incoming edges, has {parts.Length}");
            for (var j = 0; j < parts.Length; j++)
            {
                var opAndSource = parts[j].Split('~');
                if (opAndSource.Length != 2 || opAndSource[1] != j.ToString(System.Globalization.CultureInfo.InvariantCulture) || !Ops.Contains(opAndSource[0]))
                    throw new FormatException($"'{arch}': edge '{parts[j]}' must be op~{j} with op one of {string.Join(", ", Ops)}");
                ops.Add(opAndSource[0]);
            }
        }
        return ops.ToArray();
    }

    /// <summary>The canonical architecture string of 6 edge ops.</summary>
    public static string Format(IReadOnlyList<string> ops) =>
        $"|{ops[0]}~0|+|{ops[1]}~0|{ops[2]}~1|+|{ops[3]}~0|{ops[4]}~1|{ops[5]}~2|";

    /// <summary>The 6 edge ops for a base-5 code in 0..15624 (edge 0 is the lowest digit); not the benchmark index.</summary>
    public static string[] FromCode(int code)
    {
        if (code is < 0 or >= Size) throw new ArgumentOutOfRangeException(nameof(code), code, $"code must be in 0..{Size - 1}");
        var ops = new string[6];
        for (var e = 0; e < 6; e++, code /= 5) ops[e] = Ops[code % 5];
        return ops;
    }

    /// <summary>The whole CIFAR-sized network for a cell (input 3×32×32, 10 classes by default).</summary>
    public static ModelDescription Network(string arch, int channels = 16, int cellsPerStage = 5, int numClasses = 10, int imageSize = 32)
    {
        var ops = Parse(arch);
        var layers = new List<Layer>();
        string last = Add(layers, new Conv2dLayer { Id = "stem_conv", OutChannels = channels, Kernel = 3, Inputs = [ModelDescription.InputId] });
        last = Add(layers, new BatchNormLayer { Id = "stem_bn", Inputs = [last] });
        var c = channels;
        for (var stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                last = ResNetBlock(layers, $"s{stage}_reduce", last, c * 2);
                c *= 2;
            }
            for (var cell = 0; cell < cellsPerStage; cell++) last = Cell(layers, $"s{stage}_c{cell}", last, c, ops);
        }
        last = Add(layers, new BatchNormLayer { Id = "last_bn", Inputs = [last] });
        last = Add(layers, new ActivationLayer { Id = "last_relu", Inputs = [last] });
        last = Add(layers, new AdaptiveAvgPoolLayer { Id = "gap", Inputs = [last] });
        last = Add(layers, new FlattenLayer { Id = "flatten", Inputs = [last] });
        Add(layers, new LinearLayer { Id = "classifier", OutFeatures = numClasses, Inputs = [last] });
        return new ModelDescription
        {
            Name = $"nb201 {Format(ops)}",
            InputShape = [3, imageSize, imageSize],
            Layers = layers,
            Metadata = new Dictionary<string, string> { [ArchKey] = Format(ops) },
        };
    }

    private static string Add(List<Layer> layers, Layer layer)
    {
        layers.Add(layer);
        return layer.Id;
    }

    // ReLU -> conv -> BN, as NAS-Bench-201's ReLUConvBN.
    private static string ReluConvBn(List<Layer> layers, string id, string from, int channels, int kernel, int stride)
    {
        var r = Add(layers, new ActivationLayer { Id = $"{id}_relu", Inputs = [from] });
        var cv = Add(layers, new Conv2dLayer { Id = $"{id}_conv", OutChannels = channels, Kernel = kernel, Stride = stride, Inputs = [r] });
        return Add(layers, new BatchNormLayer { Id = $"{id}_bn", Inputs = [cv] });
    }

    private static string ResNetBlock(List<Layer> layers, string id, string from, int channels)
    {
        var a = ReluConvBn(layers, $"{id}_a", from, channels, 3, 2);
        var b = ReluConvBn(layers, $"{id}_b", a, channels, 3, 1);
        var pool = Add(layers, new PoolLayer { Id = $"{id}_down_pool", Kind = PoolKind.Avg, Kernel = 2, Stride = 2, Inputs = [from] });
        var down = Add(layers, new Conv2dLayer { Id = $"{id}_down_conv", OutChannels = channels, Kernel = 1, Inputs = [pool] });
        return Add(layers, new AddLayer { Id = $"{id}_add", Inputs = [down, b] });
    }

    private static string Cell(List<Layer> layers, string id, string from, int channels, string[] ops)
    {
        var nodes = new List<string> { from };
        for (var to = 1; to <= 3; to++)
        {
            var terms = new List<string>();
            for (var e = 0; e < Edges.Count; e++)
            {
                if (Edges[e].To != to) continue;
                var src = nodes[Edges[e].From];
                var eid = $"{id}_e{to}{Edges[e].From}";
                terms.Add(ops[e] switch
                {
                    "none" => Add(layers, new ZeroLayer { Id = eid, Inputs = [src] }),
                    "skip_connect" => Add(layers, new IdentityLayer { Id = eid, Inputs = [src] }),
                    "nor_conv_1x1" => ReluConvBn(layers, eid, src, channels, 1, 1),
                    "nor_conv_3x3" => ReluConvBn(layers, eid, src, channels, 3, 1),
                    "avg_pool_3x3" => Add(layers, new PoolLayer { Id = eid, Kind = PoolKind.Avg, Kernel = 3, Stride = 1, Padding = 1, Inputs = [src] }),
                    _ => throw new FormatException($"unknown op {ops[e]}"),
                });
            }
            nodes.Add(terms.Count == 1 ? terms[0] : Add(layers, new AddLayer { Id = $"{id}_n{to}", Inputs = terms }));
        }
        return nodes[3];
    }
}
