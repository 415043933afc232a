using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoCompress.Contracts.Models;

/// <summary>
/// A network as a graph of layers: the one description every method plugin, search strategy and
/// cost model talks about. Serializable to JSON; <see cref="ModelGraph.Build"/> validates it and
/// infers every shape.
/// </summary>
public sealed record ModelDescription
{
    /// <summary>The id that stands for the model's input in <see cref="Layer.Inputs"/>.</summary>
    public const string InputId = "input";

    public string Name { get; init; } = "model";

    /// <summary>Input shape without the batch dimension, e.g. [1, 28, 28] (channels, height, width).</summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    public required IReadOnlyList<Layer> Layers { get; init; }

    /// <summary>Id of the layer whose output is the model's output; null means the last layer.</summary>
    public string? Output { get; init; }

    /// <summary>Free-form facts about the model, e.g. its NAS-Bench-201 architecture string.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // "op" may stand anywhere in a layer object, not only first.
        AllowOutOfOrderMetadataProperties = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Parses a description. Malformed JSON, an unknown op or a missing required field fails with a
    /// <see cref="ModelValidationException"/> naming the layer where one can be named.
    /// Structure (edges, cycles, shapes) is checked by <see cref="ModelGraph.Build"/>.
    /// </summary>
    public static ModelDescription FromJson(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelValidationException(null, $"not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            // Name the layer behind an unknown or missing op, which the serializer cannot.
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("layers", out var layers)
                && layers.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var l in layers.EnumerateArray())
                {
                    var id = l.ValueKind == JsonValueKind.Object && l.TryGetProperty("id", out var idp) ? idp.ToString() : $"#{i}";
                    if (l.ValueKind != JsonValueKind.Object || !l.TryGetProperty("op", out var op))
                        throw new ModelValidationException(id, "has no \"op\"");
                    if (op.ValueKind != JsonValueKind.String || !Layer.OpNames.Contains(op.GetString()))
                        throw new ModelValidationException(id, $"unknown op {op}; known ops: {string.Join(", ", Layer.OpNames)}");
                    i++;
                }
            }
        }
        try
        {
            return JsonSerializer.Deserialize<ModelDescription>(json, Json)
                   ?? throw new ModelValidationException(null, "the JSON is null");
        }
        catch (JsonException e)
        {
            throw new ModelValidationException(LayerAt(json, e.Path), e.Message, e);
        }
        catch (NotSupportedException e)
        {
            throw new ModelValidationException(null, e.Message, e);
        }
    }

    // "$.layers[3].kernel" -> the id of layer 3, when it has one.
    private static string? LayerAt(string json, string? path)
    {
        if (path is null || !path.StartsWith("$.layers[", StringComparison.Ordinal)) return null;
        var end = path.IndexOf(']', StringComparison.Ordinal);
        if (!int.TryParse(path.AsSpan(9, end - 9), out var index)) return null;
        using var doc = JsonDocument.Parse(json);
        var layers = doc.RootElement.GetProperty("layers");
        return index < layers.GetArrayLength() && layers[index].TryGetProperty("id", out var id) ? id.ToString() : $"#{index}";
    }
}
