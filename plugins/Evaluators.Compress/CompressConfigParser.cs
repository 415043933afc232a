using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Methods;
using AutoCompress.CostModels.Latency;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// Reads a request's configuration into a <see cref="CompressConfig"/>. It checks everything that needs no
/// plugin: types and ranges of the settings, the steps' shape and names, that every dotted key addresses a
/// step, and that the named files exist. Every failure is a <see cref="ConfigException"/> naming the key.
/// </summary>
public static class CompressConfigParser
{
    private static readonly JsonSerializerOptions DatasetJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly string[] Settings =
    [
        "weights", "model", "dataset", "epochs", "lr", "batch_size", "threads", "steps", "cost_models", "latency_table",
        "latency_missing", "measure_latency", "step_time_limit_seconds", "keep_steps",
    ];

    /// <summary>Parses the request config (a JSON object).</summary>
    public static CompressConfig Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json ?? throw new ConfigException("compress: the configuration is null"));
        }
        catch (JsonException e)
        {
            throw new ConfigException($"compress: the configuration is not valid JSON: {e.Message}", e);
        }
        if (root is not JsonObject obj) throw new ConfigException("compress: the configuration must be a JSON object");

        var config = new CompressConfig();
        var dotted = new List<StepParameter>();
        foreach (var (key, value) in obj)
        {
            if (key.Contains('.', StringComparison.Ordinal))
            {
                dotted.Add(StepParameter.Parse(key, value?.DeepClone()));
                continue;
            }
            config = key switch
            {
                "weights" => config with { Weights = ExistingFile(value, key) },
                "model" => config with { Model = Model(value) },
                "dataset" => config with { Dataset = Dataset(value) },
                "epochs" => config with { Epochs = Number(value, key, 0, 1e6, exclusiveMin: true) },
                "lr" => config with { LearningRate = Number(value, key, 0, 10, exclusiveMin: true) },
                "batch_size" => config with { BatchSize = Integer(value, key, 1, 1 << 20) },
                "threads" => config with { Threads = Integer(value, key, 1, 1024) },
                "steps" => config with { Steps = Steps(value) },
                "cost_models" => config with { CostModels = Strings(value, key) },
                // May be absent with "latency_missing": "measure": the trial then measures every layer it needs.
                "latency_table" => config with { LatencyTable = Path.GetFullPath(Text(value, key)) },
                "latency_missing" => config with { LatencyMissing = Policy(value, key) },
                "step_time_limit_seconds" => config with { StepTimeLimitSeconds = Number(value, key, 0, 20 * 86_400, exclusiveMin: true) },
                "keep_steps" => config with { KeepSteps = Bool(value, key) },
                "measure_latency" => config with { MeasureLatency = Bool(value, key) },
                _ => throw new ConfigException(
                    $"compress: unknown setting '{key}'; settings are {string.Join(", ", Settings)}, and step parameters are addressed as '<step>.<parameter>'"),
            };
        }

        if ((config.Weights is null) == (config.Model is null))
            throw new ConfigException("compress: give exactly one of 'weights' (a reference-CNN state dict) and 'model' ({\"description\", \"weights\"})");
        if (config.Steps.Count == 0) throw new ConfigException("compress: 'steps' is missing; give at least one {\"method\": ...}");
        if (config.MeasureLatency && config.LatencyTable is null)
            throw new ConfigException("compress: 'measure_latency' needs a 'latency_table' (the measurement is compared with its prediction)");
        if (config.LatencyTable is { } table && !File.Exists(table) && config.LatencyMissing != MissingKeyPolicy.Measure)
            throw new ConfigException(
                $"compress: 'latency_table': file '{table}' does not exist (with \"latency_missing\": \"measure\" it may be absent and is built as the trial runs)");
        var names = config.Steps.Select(s => s.Name).ToList();
        foreach (var p in dotted)
            if (!names.Contains(p.Step))
                throw new ConfigException($"compress: '{p.Key}' addresses step '{p.Step}', but the steps are {string.Join(", ", names)}");
        return config with { StepParameters = dotted };
    }

    private static List<StepSpec> Steps(JsonNode? value)
    {
        if (value is not JsonArray array || array.Count == 0)
            throw new ConfigException("compress: 'steps' must be a non-empty array of {\"method\": id, \"config\": {...}}");
        var steps = new List<StepSpec>();
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"steps[{i}]";
            if (array[i] is not JsonObject step) throw new ConfigException($"compress: '{where}' must be an object {{\"method\": id, \"config\": {{...}}}}");
            string? method = null, name = null;
            JsonObject config = [];
            foreach (var (key, v) in step)
            {
                switch (key)
                {
                    case "method": method = Text(v, $"{where}.method"); break;
                    case "name": name = Text(v, $"{where}.name"); break;
                    case "config":
                        config = v as JsonObject ?? throw new ConfigException($"compress: '{where}.config' must be an object, got {Show(v)}");
                        config = (JsonObject)config.DeepClone();
                        break;
                    default: throw new ConfigException($"compress: '{where}.{key}' is unknown; a step has method, config and name");
                }
            }
            if (method is null) throw new ConfigException($"compress: '{where}.method' is missing");
            name ??= method;
            if (name.Contains('.', StringComparison.Ordinal))
                throw new ConfigException($"compress: '{where}.name' = '{name}' contains '.', which separates a step from its parameter in dotted keys");
            if (steps.FirstOrDefault(s => s.Name == name) is { } twin)
                throw new ConfigException($"compress: '{where}' is called '{name}' like steps[{twin.Index}]; give one of them a distinct \"name\"");
            steps.Add(new StepSpec(i, name, method, config));
        }
        return steps;
    }

    private static ModelPaths Model(JsonNode? value)
    {
        if (value is not JsonObject obj) throw new ConfigException($"compress: 'model' must be {{\"description\": path, \"weights\": path}}, got {Show(value)}");
        string? description = null, weights = null;
        foreach (var (key, v) in obj)
        {
            switch (key)
            {
                case "description": description = ExistingFile(v, "model.description"); break;
                case "weights": weights = ExistingFile(v, "model.weights"); break;
                default: throw new ConfigException($"compress: 'model.{key}' is unknown; 'model' has description and weights");
            }
        }
        return new ModelPaths(description ?? throw new ConfigException("compress: 'model.description' is missing"),
            weights ?? throw new ConfigException("compress: 'model.weights' is missing"));
    }

    private static DatasetSpec Dataset(JsonNode? value)
    {
        if (value is not JsonObject) throw new ConfigException($"compress: 'dataset' must be an object such as {{\"train_limit\": 5000}}, got {Show(value)}");
        DatasetSpec spec;
        try
        {
            spec = value.Deserialize<DatasetSpec>(DatasetJson) ?? new DatasetSpec();
        }
        catch (JsonException e)
        {
            throw new ConfigException($"compress: 'dataset': {e.Message}", e);
        }
        if (spec.TrainLimit < 0) throw new ConfigException($"compress: 'dataset.train_limit' = {spec.TrainLimit} must not be negative");
        if (spec.ValidationFraction is <= 0 or >= 1 || double.IsNaN(spec.ValidationFraction))
            throw new ConfigException($"compress: 'dataset.validation_fraction' = {spec.ValidationFraction.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)");
        return spec;
    }

    private static MissingKeyPolicy Policy(JsonNode? value, string key) => Text(value, key) switch
    {
        "interpolate" => MissingKeyPolicy.Interpolate,
        "measure" => MissingKeyPolicy.Measure,
        "fail" => MissingKeyPolicy.Fail,
        var other => throw new ConfigException($"compress: '{key}' = '{other}' is not one of interpolate, measure, fail"),
    };

    private static string ExistingFile(JsonNode? value, string key)
    {
        var path = Text(value, key);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ConfigException($"compress: '{key}': file '{full}' does not exist");
        return full;
    }

    private static List<string> Strings(JsonNode? value, string key)
    {
        if (value is not JsonArray array) throw new ConfigException($"compress: '{key}' must be an array of ids, got {Show(value)}");
        return array.Select((v, i) => Text(v, $"{key}[{i}]")).ToList();
    }

    private static string Text(JsonNode? value, string key) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s : throw new ConfigException($"compress: '{key}' must be a non-empty string, got {Show(value)}");

    private static bool Bool(JsonNode? value, string key) =>
        value is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new ConfigException($"compress: '{key}' must be true or false, got {Show(value)}");

    private static double Number(JsonNode? value, string key, double min, double max, bool exclusiveMin)
    {
        if (value is not JsonValue v || !v.TryGetValue<double>(out var d) || !double.IsFinite(d))
            throw new ConfigException($"compress: '{key}' must be a number, got {Show(value)}");
        if (d > max || d < min || (exclusiveMin && d == min))
            throw new ConfigException(string.Create(CultureInfo.InvariantCulture,
                $"compress: '{key}' = {d} is outside {(exclusiveMin ? "(" : "[")}{min}, {max}]"));
        return d;
    }

    private static int Integer(JsonNode? value, string key, int min, int max)
    {
        var d = Number(value, key, min, max, exclusiveMin: false);
        if (d != Math.Floor(d)) throw new ConfigException(string.Create(CultureInfo.InvariantCulture, $"compress: '{key}' = {d} must be a whole number"));
        return (int)d;
    }

    internal static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";
}
