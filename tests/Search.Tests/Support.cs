using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Middleware;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Tests;

/// <summary>Spaces, synthetic problems and a simulated asynchronous orchestrator shared by the tests.</summary>
internal static class Support
{
    public static readonly string[] Letters = ["a", "b", "c", "d", "e"];

    /// <summary>6 categorical parameters with 5 choices each (15,625 configurations, like NAS-Bench-201).</summary>
    public static SearchSpace Categorical(int parameters = 6, int choices = 5) => new(
        Enumerable.Range(0, parameters).Select(i => (Parameter)new CategoricalParameter
        {
            Name = $"p{i}",
            Choices = Letters.Take(choices).Select(c => (JsonNode)JsonValue.Create(c)).ToList(),
        }).ToList());

    /// <summary>A space with every kind of parameter, including conditional ones.</summary>
    public static SearchSpace Mixed() => SearchSpace.FromJson("""
        {"parameters": [
          {"type": "categorical", "name": "method", "choices": ["prune", "quantize", "none"]},
          {"type": "continuous", "name": "ratio", "low": 0.1, "high": 0.9, "when": {"parameter": "method", "in": ["prune"]}},
          {"type": "integer", "name": "bits", "low": 2, "high": 8, "when": {"parameter": "method", "in": ["quantize"]}},
          {"type": "continuous", "name": "lr", "low": 0.0001, "high": 0.1, "log": true},
          {"type": "integer", "name": "width", "low": 8, "high": 512, "log": true},
          {"type": "categorical", "name": "k", "choices": [3, 5, 7]}
        ]}
        """);

    /// <summary>A hidden target configuration of <see cref="Categorical"/> drawn from a seed.</summary>
    public static string[] Target(long seed, int parameters = 6, int choices = 5)
    {
        var r = new SeededRandom(seed * 31 + 7);
        return Enumerable.Range(0, parameters).Select(_ => Letters[r.NextInt(choices)]).ToArray();
    }

    /// <summary>How many parameters match the target (0..6).</summary>
    public static double Matches(JsonObject config, string[] target) =>
        target.Select((t, i) => config[$"p{i}"]!.GetValue<string>() == t ? 1 : 0).Sum();

    /// <summary>A smooth function of the mixed space (larger is better), failing for one corner of it.</summary>
    public static IReadOnlyDictionary<string, double>? MixedMetrics(JsonObject c)
    {
        var method = c["method"]!.GetValue<string>();
        var lr = c["lr"]!.GetValue<double>();
        var width = (double)c["width"]!.GetValue<long>();
        if (method == "none" && width > 400) return null; // "out of memory"
        var acc = 0.9 - Math.Pow(Math.Log10(lr) + 2, 2) * 0.05 + Math.Log2(width) * 0.005;
        if (method == "prune") acc -= c["ratio"]!.GetValue<double>() * 0.1;
        if (method == "quantize") acc -= (8 - c["bits"]!.GetValue<long>()) * 0.01;
        return new Dictionary<string, double> { ["acc"] = acc, ["latency"] = width / 100.0 + c["k"]!.GetValue<int>() * 0.1 };
    }

    public static StrategyContext Context(SearchSpace space, long seed, JsonObject? options = null, params Objective[] objectives) => new()
    {
        Space = space,
        Objectives = objectives.Length > 0 ? objectives : [new Objective("acc", Direction.Maximize)],
        Seed = seed,
        Options = options ?? [],
    };

    public static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>A state as the orchestrator would store and reload it: through JSON text.</summary>
    public static JsonObject RoundTrip(JsonObject state) => JsonNode.Parse(state.ToJsonString())!.AsObject();
}

/// <summary>
/// A simulated orchestrator: keeps up to <c>parallel</c> trials running, finishes them in a random order (its own
/// seeded generator), and records every suggestion. The strategy can be swapped mid-run (for resume tests) while
/// the running trials stay as they were.
/// </summary>
internal sealed class Driver(Func<JsonObject, IReadOnlyDictionary<string, double>?> evaluate, int parallel, long seed)
{
    private readonly SeededRandom random = new(seed);
    private readonly List<(long Index, Suggestion Suggestion)> running = [];

    public List<string> Suggested { get; } = [];

    public List<(JsonObject Config, IReadOnlyDictionary<string, double>? Metrics)> Results { get; } = [];

    public long Count { get; private set; }

    /// <summary>
    /// Runs until <paramref name="until"/> trials have completed (or the strategy gives nothing), of a search of
    /// <paramref name="trials"/> trials in all (which is what limits the asks, so a pause changes nothing).
    /// </summary>
    public void Run(SearchStrategy strategy, int trials, SearchSpace space, int? until = null)
    {
        while (Results.Count < (until ?? trials))
        {
            if (Count < trials && running.Count < parallel && !strategy.IsFinished)
                foreach (var s in strategy.Ask((int)Math.Min(parallel - running.Count, trials - Count)))
                {
                    space.Check(s.Config);
                    running.Add((++Count, s));
                    Suggested.Add(space.Canonical(s.Config) + "@" + s.Fidelity + "^" + s.ParentIndex);
                }
            if (running.Count == 0) return;
            var pick = random.NextInt(running.Count);
            var (index, suggestion) = running[pick];
            running.RemoveAt(pick);
            var metrics = evaluate(suggestion.Config);
            Results.Add((suggestion.Config, metrics));
            strategy.Tell(new Observation(index, (JsonObject)suggestion.Config.DeepClone(), suggestion.Fidelity, metrics, metrics is null ? "failed" : null));
        }
    }
}
