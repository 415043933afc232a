using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Spaces;

/// <summary>
/// The NAS-Bench-201 cell space as a <see cref="SearchSpace"/> a strategy can search: six categorical parameters, one
/// per edge, each over the five ops. The parameters are named like the benchmark table's columns (<c>op_&lt;to&gt;&lt;from&gt;</c>,
/// e.g. <c>op_21</c> for the edge from node 1 to node 2), which is also what the "nb201" evaluator reads, and a
/// configuration converts to and from the canonical architecture string that <see cref="Nb201Space.Network"/> builds.
/// </summary>
public static class Nb201SearchSpace
{
    /// <summary>The edge parameter names, in the order of <see cref="Nb201Space.Edges"/> and of the architecture string.</summary>
    public static IReadOnlyList<string> EdgeParameters { get; } =
        Nb201Space.Edges.Select(e => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"op_{e.To}{e.From}")).ToArray();

    /// <summary>A new instance of the space (a fresh one each call: JSON nodes are not meant to be shared between threads).</summary>
    public static SearchSpace Create()
    {
        var space = new SearchSpace(EdgeParameters.Select(name => (Parameter)new CategoricalParameter
        {
            Name = name,
            Choices = Nb201Space.Ops.Select(op => (JsonNode)JsonValue.Create(op)).ToList(),
        }).ToList());
        space.Validate();
        return space;
    }

    /// <summary>The six edge ops of a configuration; a <see cref="SearchSpaceException"/> names a missing or illegal edge.</summary>
    public static string[] ToOps(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ops = new string[EdgeParameters.Count];
        for (var e = 0; e < ops.Length; e++)
        {
            var name = EdgeParameters[e];
            if (!config.TryGetPropertyValue(name, out var node) || node is null)
                throw new SearchSpaceException($"nb201 configuration: parameter '{name}' is missing");
            var op = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (op is null || !Nb201Space.Ops.Contains(op))
                throw new SearchSpaceException($"nb201 configuration: '{name}' = {node.ToJsonString()} is not one of {string.Join(", ", Nb201Space.Ops)}");
            ops[e] = op;
        }
        foreach (var (name, _) in config)
            if (!EdgeParameters.Contains(name)) throw new SearchSpaceException($"nb201 configuration: '{name}' is not a parameter of the space");
        return ops;
    }

    /// <summary>A configuration from six edge ops (edge order of <see cref="EdgeParameters"/>).</summary>
    public static JsonObject FromOps(IReadOnlyList<string> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count != EdgeParameters.Count) throw new ArgumentException($"a cell has {EdgeParameters.Count} edges, got {ops.Count}", nameof(ops));
        var config = new JsonObject();
        for (var e = 0; e < ops.Count; e++)
        {
            if (!Nb201Space.Ops.Contains(ops[e])) throw new ArgumentException($"edge {EdgeParameters[e]}: '{ops[e]}' is not one of {string.Join(", ", Nb201Space.Ops)}", nameof(ops));
            config[EdgeParameters[e]] = ops[e];
        }
        return config;
    }

    /// <summary>The canonical architecture string of a configuration.</summary>
    public static string ToArch(JsonObject config) => Nb201Space.Format(ToOps(config));

    /// <summary>The configuration of an architecture string; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static JsonObject FromArch(string arch) => FromOps(Nb201Space.Parse(arch));
}
