using System.Text.Json.Nodes;
using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Contracts.Methods;

namespace AutoCompress.Evaluators.Compress;

/// <summary>A step ready to run: its method plugin and its final configuration JSON.</summary>
/// <param name="Spec">The step as configured.</param>
/// <param name="Method">The method plugin.</param>
/// <param name="ConfigJson">The step's config with the dotted keys merged in; it parsed and validated.</param>
/// <param name="Parameters">The dotted keys merged into it, for naming them in errors.</param>
public sealed record PipelineStep(StepSpec Spec, CompressionMethod Method, string ConfigJson, IReadOnlyList<StepParameter> Parameters)
{
    /// <summary>" (set by 'prune.ratio')" when a dotted key of this step set a parameter that <paramref name="message"/> names.</summary>
    public string Blame(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var keys = Parameters.Where(p => message.Contains(p.Member ?? p.Parameter, StringComparison.Ordinal)).Select(p => $"'{p.Key}'").ToList();
        return keys.Count == 0 ? "" : $" (set by {string.Join(", ", keys)})";
    }
}

/// <summary>
/// The steps with their method plugins and merged configurations, and the cost models, all resolved through
/// the host's plugins before anything runs, so a bad trial fails in milliseconds, not after an hour of training.
/// <para>
/// <b>Dotted keys.</b> A top-level key <c>&lt;step&gt;.&lt;parameter&gt;</c> sets <c>parameter</c> in the config of the
/// step called <c>step</c> (a step is called by its "name", else its method id); <c>&lt;step&gt;.&lt;parameter&gt;.&lt;member&gt;</c>
/// sets one member of a map parameter (schema type "object", e.g. prune's <c>layer_ratios</c> or quantize's
/// <c>layer_bits</c>), creating the map when the step's config has none; the member is everything after the second
/// dot, so layer ids containing dots work. A dotted key wins over the same value in the step's own config. The
/// parameter must be in the method's <see cref="CompressionMethod.Schema"/>, and only map parameters have members;
/// anything else fails naming the key. Whole numbers such as 4.0 are passed as integers, so a continuous
/// search parameter can feed an integer one (bits) when it lands on a whole number.
/// </para>
/// </summary>
public sealed record Pipeline(IReadOnlyList<PipelineStep> Steps, IReadOnlyList<CostModel> CostModels)
{
    /// <summary>Finds the plugins and merges and validates every step's configuration.</summary>
    public static Pipeline Resolve(CompressConfig config, IPluginLookup plugins)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(plugins);
        var steps = new List<PipelineStep>();
        foreach (var spec in config.Steps)
        {
            var method = plugins.Find<CompressionMethod>(spec.Method) ?? throw new ConfigException(
                $"compress: 'steps[{spec.Index}].method' = '{spec.Method}' is not a loaded method plugin; loaded methods: {List(plugins.Ids<CompressionMethod>())}");
            var parameters = config.StepParameters.Where(p => p.Step == spec.Name).ToList();
            var merged = (JsonObject)spec.Config.DeepClone();
            foreach (var p in parameters) Merge(merged, p, method, spec);
            var json = merged.ToJsonString();
            var step = new PipelineStep(spec, method, json, parameters);
            try
            {
                method.ParseConfig(json);
            }
            catch (ConfigException e)
            {
                throw new ConfigException($"compress: step '{spec.Name}': {e.Message}{step.Blame(e.Message)}", e);
            }
            steps.Add(step);
        }
        var costModels = config.CostModels.Select((id, i) => plugins.Find<CostModel>(id) ?? throw new ConfigException(
            $"compress: 'cost_models[{i}]' = '{id}' is not a loaded cost-model plugin; loaded cost models: {List(plugins.Ids<CostModel>())}")).ToList();
        return new Pipeline(steps, costModels);
    }

    private static void Merge(JsonObject config, StepParameter p, CompressionMethod method, StepSpec step)
    {
        var schema = method.Schema.Parameters;
        var parameter = schema.FirstOrDefault(s => s.Name == p.Parameter) ?? throw new ConfigException(
            $"compress: '{p.Key}': method '{method.Id}' (step '{step.Name}') has no parameter '{p.Parameter}'; its parameters are {string.Join(", ", schema.Select(s => s.Name))}");
        var value = WholeNumbersAsIntegers(p.Value);
        if (p.Member is null)
        {
            config[p.Parameter] = value;
            return;
        }
        if (parameter.Type != "object")
            throw new ConfigException($"compress: '{p.Key}': '{p.Parameter}' of method '{method.Id}' is a {parameter.Type}, so it has no member '{p.Member}'");
        var existing = config[p.Parameter];
        if (existing is null)
        {
            existing = new JsonObject();
            config[p.Parameter] = existing;
        }
        if (existing is not JsonObject map)
            throw new ConfigException($"compress: '{p.Key}': the config of step '{step.Name}' sets '{p.Parameter}' to {CompressConfigParser.Show(existing)}, not an object");
        map[p.Member] = value;
    }

    private static JsonNode? WholeNumbersAsIntegers(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue<double>(out var d)
        && d == Math.Floor(d) && Math.Abs(d) < 9e15
            ? JsonValue.Create((long)d)
            : value?.DeepClone();

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "(none)" : string.Join(", ", ids);
}
