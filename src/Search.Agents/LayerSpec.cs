using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Agents;

/// <summary>
/// One compressible layer as the agent sees it: the static part of AMC's state (kind, channels, kernel, stride, cost)
/// and how its cost depends on the other layers' pruning.
/// </summary>
/// <param name="Name">The layer id (ModelDescription ids, e.g. "features_0"); parameters are "ratio_&lt;name&gt;" or "bits_&lt;name&gt;".</param>
/// <param name="Kind">"conv" or "linear".</param>
/// <param name="In">Input channels (features).</param>
/// <param name="Out">Output channels (features).</param>
/// <param name="Kernel">Kernel size (1 for linear).</param>
/// <param name="Stride">Stride (1 for linear).</param>
/// <param name="Macs">Multiply-accumulates per input of the uncompressed layer.</param>
/// <param name="Params">Weights of the uncompressed layer.</param>
/// <param name="InputFrom">
/// The layer whose output channels are this layer's inputs, so pruning it shrinks this layer too; null when none
/// (the network's first layer, or inputs from a residual sum the agent does not prune).
/// </param>
/// <param name="Searched">Whether the agent chooses a setting for the layer (false: it stays unpruned, or at the top bit width).</param>
public sealed record LayerSpec(string Name, string Kind, long In, long Out, long Kernel, long Stride, double Macs, double Params,
    string? InputFrom, bool Searched)
{
    private static readonly string[] Members = ["name", "kind", "in", "out", "kernel", "stride", "macs", "params", "input_from", "searched"];

    /// <summary>
    /// Parses the "layers" option: an array of objects with name, kind, in, out, macs (required), kernel and stride
    /// (default 1), params (default in·out·kernel²), input_from (default: the previous layer; null for none) and
    /// searched (default true). Errors name the layer and the member.
    /// </summary>
    public static IReadOnlyList<LayerSpec> ParseTable(JsonNode? node, string strategy)
    {
        if (node is not JsonArray array || array.Count == 0)
            throw new SearchSpaceException($"strategy '{strategy}': option 'layers' must be a non-empty array of layers");
        var result = new List<LayerSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o) throw new SearchSpaceException($"strategy '{strategy}': layers[{i}] must be an object");
            var where = $"strategy '{strategy}': layers[{i}]";
            foreach (var (member, _) in o)
                if (!Members.Contains(member)) throw new SearchSpaceException($"{where}: unknown member '{member}' (known: {string.Join(", ", Members)})");
            var name = o["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (string.IsNullOrWhiteSpace(name)) throw new SearchSpaceException($"{where}: 'name' must be a non-empty string");
            where = $"strategy '{strategy}': layer '{name}'";
            if (!names.Add(name)) throw new SearchSpaceException($"{where}: listed twice");
            var kind = o["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
            if (kind is not ("conv" or "linear")) throw new SearchSpaceException($"{where}: 'kind' must be \"conv\" or \"linear\", got {o["kind"]?.ToJsonString() ?? "nothing"}");
            var inputs = Count(o, "in", where, null);
            var outputs = Count(o, "out", where, null);
            var kernel = Count(o, "kernel", where, 1);
            var stride = Count(o, "stride", where, 1);
            var macs = Number(o, "macs", where, null, positive: true);
            var parameters = Number(o, "params", where, (double)inputs * outputs * kernel * kernel, positive: false);
            string? inputFrom;
            if (!o.ContainsKey("input_from")) inputFrom = i > 0 ? result[i - 1].Name : null;
            else if (o["input_from"] is null) inputFrom = null;
            else
            {
                inputFrom = o["input_from"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
                if (inputFrom is null || !names.Contains(inputFrom) || inputFrom == name)
                    throw new SearchSpaceException($"{where}: 'input_from' must name an earlier layer or be null, got {o["input_from"]!.ToJsonString()}");
            }
            var searched = StrategyOptions.Boolean(o, strategy, "searched", true);
            result.Add(new LayerSpec(name, kind, inputs, outputs, kernel, stride, macs, parameters, inputFrom, searched));
        }
        if (!result.Any(l => l.Searched)) throw new SearchSpaceException($"strategy '{strategy}': no layer is searched");
        return result;
    }

    private static long Count(JsonObject o, string member, string where, long? fallback)
    {
        if (!o.TryGetPropertyValue(member, out var node) || node is null)
            return fallback ?? throw new SearchSpaceException($"{where}: '{member}' is required");
        var value = StrategyOptions.AsNumber(node);
        if (value is not { } x || x != Math.Floor(x) || x < 1 || x > 1e12)
            throw new SearchSpaceException($"{where}: '{member}' must be a positive integer, got {node.ToJsonString()}");
        return (long)x;
    }

    private static double Number(JsonObject o, string member, string where, double? fallback, bool positive)
    {
        if (!o.TryGetPropertyValue(member, out var node) || node is null)
            return fallback ?? throw new SearchSpaceException($"{where}: '{member}' is required");
        var value = StrategyOptions.AsNumber(node);
        if (value is not { } x || !double.IsFinite(x) || x < 0 || (positive && x == 0))
            throw new SearchSpaceException($"{where}: '{member}' must be a {(positive ? "positive" : "non-negative")} number, got {node.ToJsonString()}");
        return x;
    }

    /// <summary>The layer's uncompressed cost in <paramref name="metric"/> ("macs" or "params").</summary>
    public double Cost(string metric) => metric switch
    {
        "macs" => Macs,
        "params" => Params,
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"unknown cost metric '{metric}'"), nameof(metric)),
    };
}
