using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// Google Vizier's median stopping rule (Golovin et al. 2017) for trials that report intermediate results (per
/// epoch, per fidelity step): a running trial is stopped at fidelity f when the best value it has reported up to f is
/// strictly worse than the median, over completed trials, of each one's running average of the values it reported up
/// to f. The orchestrator calls <see cref="ShouldStop"/> with every intermediate result (which also records it);
/// completed trials are learned from <see cref="Tell"/>. Trials this rule stopped are left out of later medians.
/// Suggestions and results pass through unchanged.
/// <para>
/// Options: <c>min_trials</c> (completed trials needed before anything is stopped, default 3) and
/// <c>min_fidelity</c> (no stopping below it, default 0).
/// </para>
/// </summary>
public sealed class MedianStopping : StrategyMiddleware
{
    public const string Name = "median_stopping";

    private readonly Objective objective;
    private readonly Dictionary<long, List<(double Fidelity, double Score)>> reports = [];
    private readonly SortedSet<long> completed = [];
    private readonly SortedSet<long> stopped = [];

    public MedianStopping(SearchStrategy inner, Objective objective, int minTrials = 3, double minFidelity = 0) : base(inner)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(minTrials, 1);
        (this.objective, MinTrials, MinFidelity) = (objective, minTrials, minFidelity);
    }

    public override string Kind => Name;

    public int MinTrials { get; }

    public double MinFidelity { get; }

    /// <summary>Trials this rule has stopped.</summary>
    public IReadOnlyCollection<long> Stopped => stopped;

    /// <summary>
    /// Records trial <paramref name="index"/>'s intermediate <paramref name="value"/> (in the objective's own units)
    /// at <paramref name="fidelity"/> and says whether to stop it.
    /// </summary>
    public bool ShouldStop(long index, double fidelity, double value)
    {
        if (!double.IsFinite(fidelity)) throw new ArgumentOutOfRangeException(nameof(fidelity), fidelity, "the fidelity must be finite");
        if (objective.Score(new Dictionary<string, double> { [objective.Metric] = value }) is not { } score) return false;
        Record(index, fidelity, score);
        if (fidelity < MinFidelity || completed.Contains(index)) return false;
        var averages = new List<double>();
        foreach (var other in completed)
        {
            if (other == index || stopped.Contains(other)) continue;
            var upTo = reports[other].Where(r => r.Fidelity <= fidelity).Select(r => r.Score).ToList();
            if (upTo.Count > 0) averages.Add(upTo.Average());
        }
        if (averages.Count < MinTrials) return false;
        var best = reports[index].Where(r => r.Fidelity <= fidelity).Max(r => r.Score);
        if (!(best < Median(averages))) return false;
        stopped.Add(index);
        return true;
    }

    /// <summary>The median of the values (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("the median of nothing", nameof(values));
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private void Record(long index, double fidelity, double score)
    {
        if (!reports.TryGetValue(index, out var list)) reports[index] = list = [];
        list.Add((fidelity, score));
    }

    public override IReadOnlyList<Suggestion> Ask(int max) => Inner.Ask(max);

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!stopped.Contains(observation.Index) && objective.Score(observation.Metrics) is { } score)
        {
            Record(observation.Index, observation.Fidelity, score);
            completed.Add(observation.Index);
        }
        Inner.Tell(observation);
    }

    protected override void SaveOwn(JsonObject state)
    {
        state["completed"] = new JsonArray(completed.Select(i => (JsonNode)i).ToArray());
        state["stopped"] = new JsonArray(stopped.Select(i => (JsonNode)i).ToArray());
        state["reports"] = new JsonArray(reports.OrderBy(kv => kv.Key).Select(kv => (JsonNode)new JsonObject
        {
            ["index"] = kv.Key,
            ["fidelities"] = StrategyState.Doubles(kv.Value.Select(r => r.Fidelity)),
            ["scores"] = StrategyState.Doubles(kv.Value.Select(r => r.Score)),
        }).ToArray());
    }

    protected override void RestoreOwn(JsonObject state)
    {
        var c = StrategyState.RequireArray(state, Name, "completed").Select(n => (long)StrategyOptions.AsNumber(n)!.Value).ToList();
        var s = StrategyState.RequireArray(state, Name, "stopped").Select(n => (long)StrategyOptions.AsNumber(n)!.Value).ToList();
        var r = new Dictionary<long, List<(double, double)>>();
        foreach (var o in StrategyState.RequireArray(state, Name, "reports").OfType<JsonObject>())
        {
            var f = StrategyState.ReadDoubles(o["fidelities"], Name, "fidelities");
            var v = StrategyState.ReadDoubles(o["scores"], Name, "scores");
            if (f.Length != v.Length) throw new SearchSpaceException($"middleware '{Name}': saved report has {f.Length} fidelities and {v.Length} scores");
            r[StrategyState.RequireLong(o, Name, "index")] = f.Zip(v).ToList();
        }
        completed.Clear();
        completed.UnionWith(c);
        stopped.Clear();
        stopped.UnionWith(s);
        reports.Clear();
        foreach (var (k, v) in r) reports[k] = v;
    }
}
