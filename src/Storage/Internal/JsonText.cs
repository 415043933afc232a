using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoCompress.Storage.Internal;

/// <summary>Metrics to and from their JSON column, and up-front JSON validation with messages that name the input.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Metrics(IReadOnlyDictionary<string, double> metrics, string what)
    {
        ArgumentNullException.ThrowIfNull(metrics, what);
        foreach (var key in metrics.Keys)
            if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException($"{what}: a metric has an empty name");
        return JsonSerializer.Serialize(metrics, Options);
    }

    public static IReadOnlyDictionary<string, double> ParseMetrics(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(json, Options)
        ?? throw new InvalidDataException("metrics column holds JSON null");

    public static void Validate(string? json, string what)
    {
        if (json is null) throw new ArgumentNullException(what, $"{what} is null");
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{what} is not valid JSON: {e.Message}", e);
        }
    }
}
