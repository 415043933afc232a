using System.Text.Json;
using AutoCompress.Contracts.Models;

namespace AutoCompress.Contracts.Methods;

/// <summary>A model as it travels between methods: its description and a safetensors file of its weights
/// (named "&lt;layer id&gt;.&lt;tensor&gt;", as a realised model names them).</summary>
public sealed record ModelArtifact(ModelDescription Description, string WeightsPath);

/// <summary>Which data a method trains and evaluates on.</summary>
public sealed record DatasetSpec
{
    /// <summary>"fashion-mnist" or "cifar10".</summary>
    public string Name { get; init; } = "fashion-mnist";
    /// <summary>Folder with the data files; null means the dataset's default location.</summary>
    public string? Directory { get; init; }
    /// <summary>Share of the training set held out for validation (seeded by the context's seed).</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Use only the first N training images (0 = all), for quick runs.</summary>
    public int TrainLimit { get; init; }
}

/// <summary>How much training a method may spend (fine-tuning, quantization-aware training, distillation).</summary>
public sealed record TrainingBudget
{
    public double Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 1e-3;
    public int Threads { get; init; } = 2;
}

/// <summary>Everything a method needs besides the model and its configuration.</summary>
public sealed record MethodContext
{
    /// <summary>A folder the method may write into (its result's weights, scratch files).</summary>
    public required string WorkDirectory { get; init; }
    public DatasetSpec Dataset { get; init; } = new();
    public TrainingBudget Budget { get; init; } = new();
    /// <summary>A teacher for distillation, when one is given.</summary>
    public ModelArtifact? Teacher { get; init; }
    public int Seed { get; init; }
    /// <summary>Progress lines for the trial log.</summary>
    public IProgress<string>? Log { get; init; }
}

/// <summary>What a method produced: the transformed model and what it measured (accuracy, sizes, ...).</summary>
public sealed record CompressionResult(ModelArtifact Model, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// A compression method (pruning, quantization, distillation, ...). Use <see cref="CompressionMethod{TConfig}"/>
/// to implement one; this untyped base is what the host calls.
/// </summary>
public abstract class CompressionMethod
{
    /// <summary>Stable name, e.g. "prune-structured".</summary>
    public abstract string Id { get; }

    /// <summary>The configuration's parameters, types, defaults and allowed values.</summary>
    public abstract ConfigSchema Schema { get; }

    /// <summary>Parses and validates a JSON configuration ("{}" gives the defaults); errors name the parameter.</summary>
    public abstract object ParseConfig(string json);

    /// <summary>Runs the method. It must honour <paramref name="cancel"/> and write only under the context's work directory.</summary>
    public abstract Task<CompressionResult> RunAsync(ModelArtifact model, object config, MethodContext context, CancellationToken cancel);
}

/// <summary>A method with a typed configuration record.</summary>
public abstract class CompressionMethod<TConfig> : CompressionMethod where TConfig : class, new()
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public override ConfigSchema Schema { get; } = ConfigSchema.Of<TConfig>();

    public override object ParseConfig(string json)
    {
        TConfig config;
        try
        {
            config = JsonSerializer.Deserialize<TConfig>(string.IsNullOrWhiteSpace(json) ? "{}" : json, Json) ?? new TConfig();
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{Id}: {e.Message}", e);
        }
        Schema.Validate(config, Id);
        return config;
    }

    public sealed override Task<CompressionResult> RunAsync(ModelArtifact model, object config, MethodContext context, CancellationToken cancel) =>
        RunAsync(model, config as TConfig ?? throw new ConfigException($"{Id}: expected a {typeof(TConfig).Name}"), context, cancel);

    protected abstract Task<CompressionResult> RunAsync(ModelArtifact model, TConfig config, MethodContext context, CancellationToken cancel);
}
