using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>
/// Reading and writing the pieces of a strategy's saved state. A state must survive a trip through JSON text exactly
/// (the orchestrator stores it as text), so doubles are written round-trippable, non-finite ones (which JSON cannot
/// hold) as strings, and every JSON node is cloned on the way in and out (a node has one parent).
/// Errors name the strategy and the missing member.
/// </summary>
public static class StrategyState
{
    /// <summary>A double as JSON: a number when finite, otherwise "NaN", "Infinity" or "-Infinity".</summary>
    public static JsonNode Double(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads what <see cref="Double(double)"/> wrote.</summary>
    public static double ReadDouble(JsonNode? node, string owner, string member)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            return double.Parse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return StrategyOptions.AsNumber(node) ?? throw Missing(owner, member);
    }

    public static double RequireDouble(JsonObject state, string owner, string member) => ReadDouble(state[member], owner, member);

    public static long RequireLong(JsonObject state, string owner, string member)
    {
        ArgumentNullException.ThrowIfNull(state);
        var d = StrategyOptions.AsNumber(state[member]) ?? throw Missing(owner, member);
        return checked((long)d);
    }

    public static JsonArray RequireArray(JsonObject state, string owner, string member)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state[member] as JsonArray ?? throw Missing(owner, member);
    }

    public static JsonObject RequireObject(JsonObject state, string owner, string member)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state[member] as JsonObject ?? throw Missing(owner, member);
    }

    /// <summary>A cloned configuration from a state member.</summary>
    public static JsonObject RequireConfig(JsonObject state, string owner, string member) =>
        (JsonObject)RequireObject(state, owner, member).DeepClone();

    /// <summary>An array of doubles (finite or not).</summary>
    public static JsonArray Doubles(IEnumerable<double> values) => new(values.Select(Double).ToArray());

    public static double[] ReadDoubles(JsonNode? node, string owner, string member) =>
        node is JsonArray a ? a.Select(v => ReadDouble(v, owner, member)).ToArray() : throw Missing(owner, member);

    /// <summary>Metrics as a JSON object (null stays null).</summary>
    public static JsonNode? Metrics(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null) return null;
        var o = new JsonObject();
        foreach (var (k, v) in metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[k] = Double(v);
        return o;
    }

    public static IReadOnlyDictionary<string, double>? ReadMetrics(JsonNode? node, string owner, string member)
    {
        if (node is null) return null;
        if (node is not JsonObject o) throw Missing(owner, member);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in o) result[k] = ReadDouble(v, owner, member);
        return result;
    }

    /// <summary>An observation as JSON.</summary>
    public static JsonObject Observation(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var o = new JsonObject
        {
            ["index"] = observation.Index,
            ["config"] = observation.Config.DeepClone(),
            ["fidelity"] = Double(observation.Fidelity),
            ["metrics"] = Metrics(observation.Metrics),
        };
        if (observation.Error is not null) o["error"] = observation.Error;
        return o;
    }

    public static Observation ReadObservation(JsonNode? node, string owner)
    {
        if (node is not JsonObject o) throw Missing(owner, "observation");
        return new Observation(
            RequireLong(o, owner, "index"),
            RequireConfig(o, owner, "config"),
            RequireDouble(o, owner, "fidelity"),
            ReadMetrics(o["metrics"], owner, "metrics"),
            o["error"]?.GetValue<string>());
    }

    private static SearchSpaceException Missing(string owner, string member) =>
        new($"strategy '{owner}': saved state has no valid '{member}'");
}
