using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// Turns failures into bad results, so that the inner strategy learns to avoid what fails (a configuration that runs
/// out of memory, diverges, or is rejected as infeasible) instead of merely skipping it. A failed observation, or a
/// result lacking an objective's metric, is told to the inner strategy with that metric set to the configured
/// penalty, or else to the worst value seen so far (the lowest of a maximised metric, the highest of a minimised
/// one). The original error text is kept. A failure that arrives before any value of the metric has been seen (and
/// has no configured penalty) waits, and is told right after the first successful result.
/// </summary>
public sealed class FailurePenalty : StrategyMiddleware
{
    public const string Name = "failure_penalty";

    private readonly List<Objective> objectives;
    private readonly Dictionary<string, double> penalties;
    private readonly Dictionary<string, double> worst = new(StringComparer.Ordinal);
    private readonly List<Observation> pending = [];

    /// <param name="inner">The strategy to protect.</param>
    /// <param name="objectives">The metrics to fill in.</param>
    /// <param name="penalties">Fixed values per metric (natural units); the worst seen is used for the others.</param>
    public FailurePenalty(SearchStrategy inner, IReadOnlyList<Objective> objectives, IReadOnlyDictionary<string, double>? penalties = null) : base(inner)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0) throw new ArgumentException("failure penalty: no objectives to fill in", nameof(objectives));
        this.objectives = objectives.ToList();
        this.penalties = new Dictionary<string, double>(penalties ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        foreach (var (metric, value) in this.penalties)
        {
            if (!this.objectives.Any(o => o.Metric == metric))
                throw new SearchSpaceException($"middleware '{Name}': a penalty is given for '{metric}', which is not an objective ({string.Join(", ", this.objectives.Select(o => o.Metric))})");
            if (!double.IsFinite(value)) throw new SearchSpaceException($"middleware '{Name}': the penalty for '{metric}' must be finite");
        }
    }

    public override string Kind => Name;

    /// <summary>The worst value seen of each objective metric.</summary>
    public IReadOnlyDictionary<string, double> Worst => worst;

    /// <summary>Failures penalised so far.</summary>
    public long Penalised { get; private set; }

    public override IReadOnlyList<Suggestion> Ask(int max) => Inner.Ask(max);

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var learned = false;
        if (!observation.Failed)
            foreach (var o in objectives)
                if (observation.Metrics!.TryGetValue(o.Metric, out var v) && double.IsFinite(v))
                {
                    learned = true;
                    worst[o.Metric] = !worst.TryGetValue(o.Metric, out var w) ? v
                        : o.Direction == Direction.Maximize ? Math.Min(w, v) : Math.Max(w, v);
                }
        if (Fill(observation) is { } filled) Inner.Tell(filled);
        else pending.Add(observation with { Config = (JsonObject)observation.Config.DeepClone() });
        if (!learned || pending.Count == 0) return;
        var waiting = pending.ToList();
        pending.Clear();
        foreach (var p in waiting)
            if (Fill(p) is { } f) Inner.Tell(f);
            else pending.Add(p);
    }

    /// <summary>The observation with every missing objective filled in, or null when a value is not known yet.</summary>
    private Observation? Fill(Observation observation)
    {
        var metrics = observation.Metrics is null ? new Dictionary<string, double>(StringComparer.Ordinal)
            : new Dictionary<string, double>(observation.Metrics, StringComparer.Ordinal);
        var changed = observation.Failed;
        foreach (var o in objectives)
        {
            if (metrics.TryGetValue(o.Metric, out var v) && double.IsFinite(v)) continue;
            if (penalties.TryGetValue(o.Metric, out var penalty) || worst.TryGetValue(o.Metric, out penalty)) metrics[o.Metric] = penalty;
            else return null;
            changed = true;
        }
        if (!changed) return observation;
        Penalised++;
        return observation with { Metrics = metrics };
    }

    protected override void SaveOwn(JsonObject state)
    {
        state["worst"] = StrategyState.Metrics(worst);
        state["penalised"] = Penalised;
        state["pending"] = new JsonArray(pending.Select(p => (JsonNode)StrategyState.Observation(p)).ToArray());
    }

    protected override void RestoreOwn(JsonObject state)
    {
        var w = StrategyState.ReadMetrics(state["worst"], Name, "worst") ?? throw new SearchSpaceException($"middleware '{Name}': saved state has no 'worst'");
        var p = StrategyState.RequireArray(state, Name, "pending").Select(n => StrategyState.ReadObservation(n, Name)).ToList();
        Penalised = StrategyState.RequireLong(state, Name, "penalised");
        worst.Clear();
        foreach (var (k, v) in w) worst[k] = v;
        pending.Clear();
        pending.AddRange(p);
    }
}
