using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// What a user asks for: which evaluator runs each trial, the space and the strategy that searches it, what to
/// optimise, and the budgets. Stored verbatim with the experiment, so a restarted service rebuilds the same search.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>A readable name (not unique).</summary>
    public required string Name { get; init; }

    /// <summary>The evaluator plugin's id (e.g. "nb201", "compress").</summary>
    public required string Evaluator { get; init; }

    /// <summary>Values merged into every configuration before it reaches the evaluator (dataset, epochs...).</summary>
    public JsonObject Fixed { get; init; } = [];

    /// <summary>The search space.</summary>
    public required SearchSpace Space { get; init; }

    /// <summary>The strategy by name, with its options.</summary>
    public StrategySpec Strategy { get; init; } = new() { Name = "random" };

    /// <summary>What to optimise; the first objective also drives multi-fidelity promotion.</summary>
    public required IReadOnlyList<Objective> Objectives { get; init; }

    /// <summary>
    /// Hard constraints on reported metrics, e.g. [{"metric": "latency_ms", "max": 1.2}]: a trial that breaks one is
    /// kept and shown but is never "best" nor on the Pareto front, and "nsga2" ranks by constraint domination
    /// (it receives these unless its own options list constraints).
    /// </summary>
    public JsonArray? Constraints { get; init; }

    /// <summary>The constraints, parsed (none when the spec has none).</summary>
    [JsonIgnore]
    public AutoCompress.Search.Objectives.ConstraintSet ConstraintSet =>
        constraintSet ??= AutoCompress.Search.Objectives.ConstraintSet.FromJson(Constraints, "spec: constraints");

    private AutoCompress.Search.Objectives.ConstraintSet? constraintSet;

    public BudgetSpec Budget { get; init; } = new();

    /// <summary>Multi-fidelity (ASHA) settings; null evaluates every configuration at full fidelity.</summary>
    public FidelitySpec? Fidelity { get; init; }

    /// <summary>Experiments with a higher priority get free slots first; equal ones share slots evenly.</summary>
    public int Priority { get; init; }

    /// <summary>Seed for the strategy and for every trial (trial seeds derive from it and the trial number).</summary>
    public long Seed { get; init; }

    /// <summary>snake_case JSON; unknown members are errors (a typo must not silently change the search).</summary>
    public static JsonSerializerOptions Json { get; } = new(SearchSpace.Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    /// <summary>Parses and validates a spec. Errors name the field, e.g. "spec: budget.max_trials must be at least 1".</summary>
    public static ExperimentSpec Parse(string json)
    {
        ExperimentSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ExperimentSpec>(json, Json);
        }
        catch (JsonException e)
        {
            var path = e.Path?.TrimStart('$').TrimStart('.');
            var missing = System.Text.RegularExpressions.Regex.Matches(e.Message, "'([a-z_]+)'").Select(m => m.Groups[1].Value).ToList();
            if (e.Message.Contains("missing required properties", StringComparison.Ordinal) && missing.Count > 0)
            {
                var where = path is { Length: > 0 } ? path + "." : "";
                throw new ExperimentSpecException($"spec: {where}{missing[0]} is missing (required: {string.Join(", ", missing.Select(m => where + m))})", e);
            }
            throw new ExperimentSpecException(path is { Length: > 0 } ? $"spec: {path}: {Simplify(e.Message)}" : $"spec: {Simplify(e.Message)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new ExperimentSpecException($"spec: {e.Message}", e);
        }
        if (spec is null) throw new ExperimentSpecException("spec: the document is null");
        spec.Validate();
        return spec;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Checks every field; the message names the first one at fault.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ExperimentSpecException("spec: name is empty");
        if (string.IsNullOrWhiteSpace(Evaluator)) throw new ExperimentSpecException("spec: evaluator is empty");
        if (Space is null) throw new ExperimentSpecException("spec: space is missing");
        try
        {
            Space.Validate();
        }
        catch (SearchSpaceException e)
        {
            throw new ExperimentSpecException($"spec: space: {e.Message}", e);
        }
        if (Objectives is null || Objectives.Count == 0) throw new ExperimentSpecException("spec: objectives: at least one objective is needed");
        for (var i = 0; i < Objectives.Count; i++)
            if (Objectives[i] is null || string.IsNullOrWhiteSpace(Objectives[i].Metric))
                throw new ExperimentSpecException($"spec: objectives[{i}].metric is empty");
        if (Strategy is null || string.IsNullOrWhiteSpace(Strategy.Name)) throw new ExperimentSpecException("spec: strategy.name is empty");
        if (Fixed is null) throw new ExperimentSpecException("spec: fixed must be an object");
        foreach (var p in Space.Parameters)
            if (Fixed.ContainsKey(p.Name)) throw new ExperimentSpecException($"spec: fixed.{p.Name} is also a parameter of the space");
        try
        {
            _ = ConstraintSet;
        }
        catch (SearchSpaceException e)
        {
            throw new ExperimentSpecException(e.Message.StartsWith("spec:", StringComparison.Ordinal) ? e.Message : $"spec: constraints: {e.Message}", e);
        }
        (Budget ?? throw new ExperimentSpecException("spec: budget is null")).Validate();
        Fidelity?.Validate();
    }

    private static string Simplify(string message) =>
        message.Split(" Path:", 2)[0].Replace("JSON deserialization for type 'AutoCompress.Orchestrator.Experiments.", "", StringComparison.Ordinal);
}

/// <summary>The search strategy and its options (see each strategy for what it accepts).</summary>
public sealed record StrategySpec
{
    public required string Name { get; init; }

    public JsonObject Options { get; init; } = [];

    /// <summary>
    /// Layers around the strategy: "dedup", "failure_penalty", "median_stopping", "reward", "constraint_filter"
    /// (see AutoCompress.Search.Middleware.MiddlewareBuilder), e.g. {"dedup": true}.
    /// </summary>
    public JsonObject Middleware { get; init; } = [];
}

/// <summary>How much an experiment may spend.</summary>
public sealed record BudgetSpec
{
    /// <summary>Trials (suggestions) in total, promotions included.</summary>
    public long MaxTrials { get; init; } = 100;

    /// <summary>Trials of this experiment queued or running at once.</summary>
    public int MaxConcurrent { get; init; } = 4;

    /// <summary>Each trial's time limit in seconds.</summary>
    public double TrialTimeLimitSeconds { get; init; } = 3600;

    /// <summary>
    /// How many times a trial may be started. A trial whose worker crashed or that timed out is retried until then;
    /// a trial whose evaluator threw is not retried (the same configuration would throw again).
    /// </summary>
    public int MaxAttempts { get; init; } = 2;

    internal void Validate()
    {
        if (MaxTrials < 1) throw new ExperimentSpecException($"spec: budget.max_trials must be at least 1, got {MaxTrials}");
        if (MaxConcurrent is < 1 or > 10_000) throw new ExperimentSpecException($"spec: budget.max_concurrent must be 1..10000, got {MaxConcurrent}");
        if (!(TrialTimeLimitSeconds > 0 && TrialTimeLimitSeconds <= 7 * 24 * 3600))
            throw new ExperimentSpecException($"spec: budget.trial_time_limit_seconds must be in (0, 604800], got {TrialTimeLimitSeconds}");
        if (MaxAttempts is < 1 or > 100) throw new ExperimentSpecException($"spec: budget.max_attempts must be 1..100, got {MaxAttempts}");
    }
}

/// <summary>Asynchronous successive halving over a resource such as epochs (passed to the evaluator as the fidelity).</summary>
public sealed record FidelitySpec
{
    public required double Min { get; init; }

    public required double Max { get; init; }

    public double Eta { get; init; } = 3;

    internal void Validate()
    {
        if (!(Min > 0 && double.IsFinite(Min))) throw new ExperimentSpecException($"spec: fidelity.min must be positive, got {Min}");
        if (!(Max >= Min && double.IsFinite(Max))) throw new ExperimentSpecException($"spec: fidelity.max must be at least fidelity.min, got {Max}");
        if (!(Eta >= 2 && double.IsFinite(Eta))) throw new ExperimentSpecException($"spec: fidelity.eta must be at least 2, got {Eta}");
    }
}

/// <summary>An experiment spec that cannot be run; the message names the field.</summary>
public sealed class ExperimentSpecException : Exception
{
    public ExperimentSpecException() : base("invalid experiment spec") { }

    public ExperimentSpecException(string message) : base(message) { }

    public ExperimentSpecException(string message, Exception inner) : base(message, inner) { }
}
