using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>Helpers strategies share: reading their options with clear errors, saving their random state.</summary>
public static class StrategyOptions
{
    /// <summary>Throws when <paramref name="options"/> has a member other than <paramref name="known"/>.</summary>
    public static void RejectUnknown(JsonObject options, string strategy, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, _) in options)
            if (!known.Contains(name))
                throw new SearchSpaceException(known.Length == 0
                    ? $"strategy '{strategy}': it takes no options, got '{name}'"
                    : $"strategy '{strategy}': unknown option '{name}' (known: {string.Join(", ", known)})");
    }

    /// <summary>A number option within [min, max], or the default.</summary>
    public static double Number(JsonObject options, string strategy, string name, double fallback, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        var value = AsNumber(node) ?? throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be a number, got {node.ToJsonString()}");
        if (!(value >= min && value <= max))
            throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be in [{min}, {max}], got {value}");
        return value;
    }

    /// <summary>An integer option within [min, max], or the default.</summary>
    public static int Integer(JsonObject options, string strategy, string name, int fallback, int min, int max)
    {
        var value = Number(options, strategy, name, fallback, min, max);
        if (value != Math.Floor(value)) throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be an integer, got {value}");
        return (int)value;
    }

    /// <summary>A true/false option, or the default.</summary>
    public static bool Boolean(JsonObject options, string strategy, string name, bool fallback)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be true or false, got {node.ToJsonString()}"),
        };
    }

    /// <summary>A string option that must be one of <paramref name="allowed"/>, or the default.</summary>
    public static string Choice(JsonObject options, string strategy, string name, string fallback, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(allowed);
        if (!options.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        var value = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (value is null || !allowed.Contains(value))
            throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be one of {string.Join(", ", allowed)}, got {node.ToJsonString()}");
        return value;
    }

    /// <summary>
    /// The one objective of a single-objective strategy. Several objectives are refused: combine them first into one
    /// metric (see <c>AutoCompress.Search.Objectives.RewardFunction</c>) or use a multi-objective strategy.
    /// </summary>
    public static Objective SingleObjective(StrategyContext context, string strategy)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Objectives is not { Count: 1 })
            throw new SearchSpaceException(
                $"strategy '{strategy}': it optimises exactly one objective, got {context.Objectives?.Count ?? 0} " +
                "(combine several into one reward metric, or use 'nsga2')");
        return context.Objectives[0];
    }

    /// <summary>
    /// A JSON number as a double, whether it was parsed from text or created in memory from an int, long or double
    /// (<see cref="JsonNode.GetValue{T}"/> refuses to convert an in-memory int to double); null for anything else.
    /// </summary>
    public static double? AsNumber(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return null;
        if (value.TryGetValue<double>(out var d)) return d;
        return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static JsonArray SaveRandom(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        // As strings: JSON numbers lose precision above 2^53 in many readers.
        return new JsonArray(random.State.Select(v => (JsonNode)JsonValue.Create(v.ToString(CultureInfo.InvariantCulture))).ToArray());
    }

    public static SeededRandom RestoreRandom(JsonNode? node)
    {
        if (node is not JsonArray array) throw new SearchSpaceException("strategy state: 'random' is missing");
        return SeededRandom.FromState(array.Select(v => ulong.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList());
    }

    /// <summary>Throws when a saved state belongs to another strategy.</summary>
    public static void ExpectStrategy(JsonObject state, string strategy)
    {
        ArgumentNullException.ThrowIfNull(state);
        var saved = state["strategy"]?.GetValue<string>();
        if (saved != strategy) throw new SearchSpaceException($"strategy '{strategy}': cannot restore a state saved by '{saved ?? "unknown"}'");
    }
}
