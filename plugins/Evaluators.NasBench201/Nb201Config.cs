using System.Text.Json;
using AutoCompress.Contracts.Methods;

namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// Reads a trial's configuration: either the six edge parameters <c>op_10 … op_32</c> (the form a search space of
/// categorical parameters produces) or one <c>arch</c> string. Anything else is a <see cref="ConfigException"/>
/// naming the parameter, so a misspelt edge never silently means a different cell.
/// </summary>
public static class Nb201Config
{
    /// <summary>The member holding a whole architecture string.</summary>
    public const string ArchName = "arch";

    /// <summary>The op positions (edge order of <see cref="Nb201Arch.EdgeNames"/>) of a configuration given as JSON text.</summary>
    public static int[] Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"nb201: the configuration is not valid JSON: {e.Message}", e);
        }
        using (document) return Parse(document.RootElement);
    }

    /// <summary>The op positions of a configuration object.</summary>
    public static int[] Parse(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
            throw new ConfigException($"nb201: the configuration must be a JSON object, got {config.ValueKind}");
        string? arch = null;
        var ops = new int[Nb201Arch.EdgeNames.Count];
        Array.Fill(ops, -1);
        var edgesGiven = 0;
        foreach (var member in config.EnumerateObject())
        {
            if (member.NameEquals(ArchName))
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                    throw new ConfigException($"nb201: parameter '{ArchName}' must be an architecture string such as {Example}, got {member.Value.GetRawText()}");
                if (arch is not null) throw new ConfigException($"nb201: parameter '{ArchName}' is given twice");
                arch = member.Value.GetString()!;
                continue;
            }
            var e = IndexOfEdge(member.Name);
            if (e < 0)
                throw new ConfigException($"nb201: unknown parameter '{member.Name}' (expected {string.Join(", ", Nb201Arch.EdgeNames)}, or {ArchName})");
            var op = member.Value.ValueKind == JsonValueKind.String ? Nb201Arch.OpIndex(member.Value.GetString()) : -1;
            if (op < 0)
                throw new ConfigException($"nb201: parameter '{member.Name}' = {member.Value.GetRawText()} is not an op; choose one of {string.Join(", ", Nb201Arch.Ops)}");
            if (ops[e] >= 0) throw new ConfigException($"nb201: parameter '{member.Name}' is given twice");
            ops[e] = op;
            edgesGiven++;
        }
        if (arch is not null)
        {
            if (edgesGiven > 0)
                throw new ConfigException($"nb201: give either '{ArchName}' or the edge parameters {string.Join(", ", Nb201Arch.EdgeNames)}, not both");
            try
            {
                return Nb201Arch.Parse(arch);
            }
            catch (FormatException e)
            {
                throw new ConfigException($"nb201: parameter '{ArchName}': {e.Message}", e);
            }
        }
        var missing = Array.IndexOf(ops, -1);
        if (missing >= 0)
            throw new ConfigException(edgesGiven == 0
                ? $"nb201: the configuration names no cell; give the edge parameters {string.Join(", ", Nb201Arch.EdgeNames)} or '{ArchName}'"
                : $"nb201: parameter '{Nb201Arch.EdgeNames[missing]}' is missing (a cell needs all of {string.Join(", ", Nb201Arch.EdgeNames)})");
        return ops;
    }

    private const string Example = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    private static int IndexOfEdge(string name)
    {
        for (var e = 0; e < Nb201Arch.EdgeNames.Count; e++)
            if (string.Equals(Nb201Arch.EdgeNames[e], name, StringComparison.Ordinal)) return e;
        return -1;
    }
}
