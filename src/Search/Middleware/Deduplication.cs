using System.Globalization;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// Never suggests a configuration twice. A configuration is identified by <see cref="SearchSpace.Canonical"/> and
/// its fidelity (a promotion of a configuration to a higher fidelity is a new trial). When the inner strategy repeats
/// itself, the repeat is not run: the inner strategy is told the earlier trial's result under the repeat's number
/// (at once, or when that result arrives), so it learns just as if the trial had run again, and it is asked again,
/// up to <see cref="MaxRetries"/> more rounds per Ask.
/// <para>
/// When the inner strategy keeps producing only repeats for all those rounds, the middleware draws an unseen
/// configuration at random from the space instead, so the search never stalls on a converged strategy; the inner
/// strategy did not suggest it, so it is not told its result. Once every configuration of a finite space has been
/// suggested, <see cref="SearchStrategy.IsFinished"/> becomes true.
/// </para>
/// </summary>
public sealed class Deduplication : StrategyMiddleware
{
    public const string Name = "dedup";
    public const int DefaultMaxRetries = 20;
    private const int FallbackAttempts = 1000;

    private readonly SearchSpace space;
    private readonly IndexMap map = new();
    private readonly Dictionary<string, Entry> byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Entry> byOuter = [];
    private readonly HashSet<string> configs = new(StringComparer.Ordinal);
    private SeededRandom random;
    private double? spaceSize;
    private bool exhausted;

    private sealed class Entry(string key, string configKey, long outer, long inner)
    {
        public string Key { get; } = key;
        public string ConfigKey { get; } = configKey;
        public long Outer { get; } = outer;
        public long Inner { get; } = inner;
        public Observation? Result { get; set; }
        public List<(long Inner, JsonObject Config, double Fidelity)> Waiting { get; } = [];
    }

    public Deduplication(SearchStrategy inner, SearchSpace space, long seed, int maxRetries = DefaultMaxRetries) : base(inner)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        this.space = space;
        MaxRetries = maxRetries;
        random = new SeededRandom(seed ^ 0x6465647570L);
    }

    public override string Kind => Name;

    /// <summary>Extra rounds of asking the inner strategy per Ask when it only repeats itself.</summary>
    public int MaxRetries { get; }

    /// <summary>Repeats caught so far.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Suggestions drawn at random because the inner strategy only repeated itself.</summary>
    public long Fallbacks { get; private set; }

    public override bool IsFinished => exhausted || Inner.IsFinished;

    private string Key(JsonObject config, double fidelity) =>
        space.Canonical(config) + "@" + fidelity.ToString("R", CultureInfo.InvariantCulture);

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var result = new List<Suggestion>(max);
        if (exhausted) return result;
        var onlyRepeats = false;
        for (var round = 0; round <= MaxRetries && result.Count < max; round++)
        {
            var batch = Inner.Ask(max - result.Count);
            if (batch.Count == 0)
            {
                onlyRepeats = false;
                break;
            }
            onlyRepeats = true;
            foreach (var s in batch)
            {
                var inner = map.NextInner();
                var key = Key(s.Config, s.Fidelity);
                if (byKey.TryGetValue(key, out var earlier))
                {
                    Duplicates++;
                    map.Alias(inner, earlier.Outer);
                    var config = (JsonObject)s.Config.DeepClone();
                    if (earlier.Result is { } r) Inner.Tell(new Observation(inner, config, s.Fidelity, r.Metrics, r.Error));
                    else earlier.Waiting.Add((inner, config, s.Fidelity));
                    continue;
                }
                onlyRepeats = false;
                result.Add(Register(s, inner, key));
            }
        }
        if (onlyRepeats && result.Count < max) Fallback(result, max);
        return result;
    }

    private Suggestion Register(Suggestion s, long inner, string key)
    {
        var translated = map.Translate(s);
        var outer = map.Accept(inner);
        var entry = new Entry(key, space.Canonical(translated.Config), outer, inner);
        byKey[key] = entry;
        byOuter[outer] = entry;
        configs.Add(entry.ConfigKey);
        return translated;
    }

    /// <summary>Unseen random configurations (full fidelity) in place of the inner strategy's repeats.</summary>
    private void Fallback(List<Suggestion> result, int max)
    {
        spaceSize ??= SpaceSize.Count(space);
        while (result.Count < max)
        {
            if (configs.Count >= spaceSize)
            {
                exhausted = true;
                return;
            }
            Suggestion? found = null;
            for (var attempt = 0; attempt < FallbackAttempts && found is null; attempt++)
            {
                var config = space.Sample(random);
                var key = Key(config, 1);
                if (!byKey.ContainsKey(key)) found = Register(new Suggestion(config), 0, key);
            }
            if (found is null) return;
            Fallbacks++;
            result.Add(found);
        }
    }

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        map.InnerOf(observation.Index, Name);
        var entry = byOuter[observation.Index];
        entry.Result = observation with { Config = (JsonObject)observation.Config.DeepClone() };
        if (entry.Inner > 0) Inner.Tell(observation with { Index = entry.Inner });
        foreach (var (inner, config, fidelity) in entry.Waiting)
            Inner.Tell(new Observation(inner, config, fidelity, observation.Metrics, observation.Error));
        entry.Waiting.Clear();
    }

    protected override void SaveOwn(JsonObject state)
    {
        state["index_map"] = map.Save();
        state["random"] = StrategyOptions.SaveRandom(random);
        state["duplicates"] = Duplicates;
        state["fallbacks"] = Fallbacks;
        state["exhausted"] = exhausted;
        state["entries"] = new JsonArray(byOuter.Values.OrderBy(e => e.Outer).Select(e => (JsonNode)new JsonObject
        {
            ["key"] = e.Key,
            ["config_key"] = e.ConfigKey,
            ["outer"] = e.Outer,
            ["inner"] = e.Inner,
            ["result"] = e.Result is null ? null : StrategyState.Observation(e.Result),
            ["waiting"] = new JsonArray(e.Waiting.Select(w => (JsonNode)new JsonObject
            {
                ["inner"] = w.Inner,
                ["config"] = w.Config.DeepClone(),
                ["fidelity"] = StrategyState.Double(w.Fidelity),
            }).ToArray()),
        }).ToArray());
    }

    protected override void RestoreOwn(JsonObject state)
    {
        var entries = new List<Entry>();
        foreach (var node in StrategyState.RequireArray(state, Name, "entries"))
        {
            var o = node as JsonObject ?? throw new SearchSpaceException($"middleware '{Name}': a saved entry is not an object");
            var e = new Entry(o["key"]?.GetValue<string>() ?? throw new SearchSpaceException($"middleware '{Name}': a saved entry has no 'key'"),
                o["config_key"]?.GetValue<string>() ?? throw new SearchSpaceException($"middleware '{Name}': a saved entry has no 'config_key'"),
                StrategyState.RequireLong(o, Name, "outer"), StrategyState.RequireLong(o, Name, "inner"))
            {
                Result = o["result"] is null ? null : StrategyState.ReadObservation(o["result"], Name),
            };
            foreach (var w in StrategyState.RequireArray(o, Name, "waiting").OfType<JsonObject>())
                e.Waiting.Add((StrategyState.RequireLong(w, Name, "inner"), StrategyState.RequireConfig(w, Name, "config"), StrategyState.RequireDouble(w, Name, "fidelity")));
            entries.Add(e);
        }
        map.Restore(state["index_map"] as JsonObject, Name);
        random = StrategyOptions.RestoreRandom(state["random"]);
        Duplicates = StrategyState.RequireLong(state, Name, "duplicates");
        Fallbacks = StrategyState.RequireLong(state, Name, "fallbacks");
        exhausted = state["exhausted"]?.GetValue<bool>() ?? false;
        byKey.Clear();
        byOuter.Clear();
        configs.Clear();
        foreach (var e in entries)
        {
            byKey[e.Key] = e;
            byOuter[e.Outer] = e;
            configs.Add(e.ConfigKey);
        }
    }
}
