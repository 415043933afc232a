using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoCompress.Plugins;

/// <summary>
/// A plugin folder's <c>plugin.json</c>: who the plugin is, what kind of extension it provides,
/// which assembly holds it and which Contracts version it was built against.
/// </summary>
public sealed record PluginManifest
{
    public const string FileName = "plugin.json";

    /// <summary>Unique name users refer to the plugin by.</summary>
    public required string Id { get; init; }
    public required string Version { get; init; }
    /// <summary>"method", "cost-model", "search-space", "strategy" or "evaluator".</summary>
    public required string Kind { get; init; }
    /// <summary>File name of the plugin's main assembly inside its folder.</summary>
    public required string Assembly { get; init; }
    /// <summary>Full name of the type to instantiate; when null, the single public type implementing the kind's contract.</summary>
    public string? Type { get; init; }
    /// <summary>The Contracts version ("major.minor") the plugin was built against.</summary>
    public required string ContractsVersion { get; init; }
    /// <summary>What the plugin declares it can do (metrics reported, transformations offered, ...).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Reads a manifest; any problem is a <see cref="PluginLoadException"/> naming the file.</summary>
    public static PluginManifest Load(string path)
    {
        if (!File.Exists(path)) throw new PluginLoadException($"{path}: no {FileName} in the plugin folder");
        try
        {
            var m = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(path), Json)
                    ?? throw new PluginLoadException($"{path}: the manifest is empty");
            if (string.IsNullOrWhiteSpace(m.Id)) throw new PluginLoadException($"{path}: \"id\" is empty");
            return m;
        }
        catch (JsonException e)
        {
            throw new PluginLoadException($"{path}: invalid manifest: {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
