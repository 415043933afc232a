using System.Globalization;

namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// The NAS-Bench-201 cell's vocabulary: the 5 ops, the 6 edges named as the table's <c>op_&lt;to&gt;&lt;from&gt;</c>
/// columns, and the architecture string. The plugin keeps its own copy instead of using AutoCompress.Search so that
/// it depends on the shared Contracts only (the host supplies those); the tests check that both agree.
/// </summary>
public static class Nb201Arch
{
    /// <summary>The edge ops, in the benchmark's order.</summary>
    public static IReadOnlyList<string> Ops { get; } = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>
    /// The configuration's edge parameters and the table's op columns: <c>op_&lt;i&gt;&lt;j&gt;</c> is the op on the edge
    /// from node j to node i, in the order of the architecture string.
    /// </summary>
    public static IReadOnlyList<string> EdgeNames { get; } = ["op_10", "op_20", "op_21", "op_30", "op_31", "op_32"];

    /// <summary>Number of cells in the space (5^6).</summary>
    public const int Size = 15625;

    /// <summary>The position of <paramref name="op"/> in <see cref="Ops"/>, or -1.</summary>
    public static int OpIndex(string? op)
    {
        for (var i = 0; i < Ops.Count; i++)
            if (string.Equals(Ops[i], op, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>A dense code 0..15624 for 6 op positions (edge 0 is the lowest base-5 digit); not the benchmark index.</summary>
    public static int Code(IReadOnlyList<int> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count != EdgeNames.Count) throw new ArgumentException($"a cell has {EdgeNames.Count} edges, got {ops.Count}", nameof(ops));
        var code = 0;
        for (var e = ops.Count - 1; e >= 0; e--)
        {
            if (ops[e] < 0 || ops[e] >= Ops.Count) throw new ArgumentOutOfRangeException(nameof(ops), ops[e], $"edge {EdgeNames[e]}: op position must be in 0..{Ops.Count - 1}");
            code = code * Ops.Count + ops[e];
        }
        return code;
    }

    /// <summary>The canonical architecture string of 6 op positions.</summary>
    public static string Format(IReadOnlyList<int> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count != EdgeNames.Count) throw new ArgumentException($"a cell has {EdgeNames.Count} edges, got {ops.Count}", nameof(ops));
        return $"|{Ops[ops[0]]}~0|+|{Ops[ops[1]]}~0|{Ops[ops[2]]}~1|+|{Ops[ops[3]]}~0|{Ops[ops[4]]}~1|{Ops[ops[5]]}~2|";
    }

    /// <summary>
    /// Parses <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c> into 6 op positions (edge order of <see cref="EdgeNames"/>).
    /// A <see cref="FormatException"/> says which part is wrong.
    /// </summary>
    public static int[] Parse(string arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var nodes = arch.Split('+');
        if (nodes.Length != 3)
            throw new FormatException($"'{arch}' is not a NAS-Bench-201 cell: it needs 3 node groups separated by '+', has {nodes.Length}");
        var ops = new int[EdgeNames.Count];
        var e = 0;
        for (var i = 0; i < 3; i++)
        {
            var group = nodes[i];
            if (group.Length < 2 || group[0] != '|' || group[^1] != '|')
                throw new FormatException($"'{arch}': node group {i + 1} '{group}' must start and end with '|'");
            var parts = group[1..^1].Split('|');
            if (parts.Length != i + 1) throw new FormatException($"'{arch}': node {i + 1} needs {i + 1} incoming edges, has {parts.Length}");
            for (var j = 0; j < parts.Length; j++, e++)
            {
                var opAndSource = parts[j].Split('~');
                var op = opAndSource.Length == 2 ? OpIndex(opAndSource[0]) : -1;
                if (op < 0 || opAndSource[1] != j.ToString(CultureInfo.InvariantCulture))
                    throw new FormatException($"'{arch}': edge '{parts[j]}' ({EdgeNames[e]}) must be op~{j} with op one of {string.Join(", ", Ops)}");
                ops[e] = op;
            }
        }
        return ops;
    }
}
