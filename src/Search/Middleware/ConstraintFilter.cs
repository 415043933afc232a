using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Objectives;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// Does not run what is known to break a hard constraint. Each suggestion's cost is predicted by the caller's
/// function (a cost model: latency, MACs, memory); when a prediction violates a constraint the suggestion is not
/// passed on but told straight back to the inner strategy as infeasible: its metrics are the predicted ones plus
/// <see cref="ConstraintSet.ViolationMetric"/> (the total violation), with no objective metrics, and an error
/// text saying what was violated. NSGA-II ranks it by its violation; a single-objective strategy sees a result
/// without its objective (a failure, or the worst value under <see cref="FailurePenalty"/> placed inside this
/// filter). A constraint whose metric the predictor does not report is not checked.
/// <para>
/// Rejected suggestions are replaced by asking the inner strategy again, up to <see cref="MaxRetries"/> more rounds
/// per Ask; after that a feasible configuration is drawn at random from the space (not told to the inner strategy,
/// which never suggested it), so the search does not stall.
/// </para>
/// </summary>
public sealed class ConstraintFilter : StrategyMiddleware
{
    public const string Name = "constraint_filter";
    public const int DefaultMaxRetries = 50;
    private const int FallbackAttempts = 1000;

    private readonly SearchSpace space;
    private readonly ConstraintSet constraints;
    private readonly Func<JsonObject, IReadOnlyDictionary<string, double>> predictor;
    private readonly IndexMap map = new();
    private SeededRandom random;

    public ConstraintFilter(SearchStrategy inner, SearchSpace space, ConstraintSet constraints,
        Func<JsonObject, IReadOnlyDictionary<string, double>> predictor, long seed, int maxRetries = DefaultMaxRetries) : base(inner)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        if (constraints.Items.Count == 0) throw new SearchSpaceException($"middleware '{Name}': no constraints to filter by");
        (this.space, this.constraints, this.predictor, MaxRetries) = (space, constraints, predictor, maxRetries);
        random = new SeededRandom(seed ^ 0x66696c746572L);
    }

    public override string Kind => Name;

    public int MaxRetries { get; }

    /// <summary>Suggestions rejected without running.</summary>
    public long Rejected { get; private set; }

    /// <summary>Suggestions drawn at random because the inner strategy only produced infeasible ones.</summary>
    public long Fallbacks { get; private set; }

    /// <summary>The total violation of the constraints whose metrics the prediction reports (0: may run).</summary>
    public double PredictedViolation(IReadOnlyDictionary<string, double> predicted)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        return constraints.Items.Where(c => predicted.ContainsKey(c.Metric)).Sum(c => c.Violation(predicted));
    }

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var result = new List<Suggestion>(max);
        var onlyRejected = false;
        for (var round = 0; round <= MaxRetries && result.Count < max; round++)
        {
            var batch = Inner.Ask(max - result.Count);
            if (batch.Count == 0)
            {
                onlyRejected = false;
                break;
            }
            onlyRejected = true;
            foreach (var s in batch)
            {
                var inner = map.NextInner();
                var predicted = predictor((JsonObject)s.Config.DeepClone());
                var violation = PredictedViolation(predicted);
                if (violation > 0)
                {
                    Rejected++;
                    var metrics = new Dictionary<string, double>(predicted, StringComparer.Ordinal) { [ConstraintSet.ViolationMetric] = violation };
                    var why = new ConstraintSet(constraints.Items.Where(c => predicted.ContainsKey(c.Metric)).ToList()).Describe(predicted);
                    Inner.Tell(new Observation(inner, (JsonObject)s.Config.DeepClone(), s.Fidelity, metrics, $"not run: predicted {why}"));
                    continue;
                }
                onlyRejected = false;
                var translated = map.Translate(s);
                map.Accept(inner);
                result.Add(translated);
            }
        }
        if (onlyRejected) Fallback(result, max);
        return result;
    }

    private void Fallback(List<Suggestion> result, int max)
    {
        for (var attempt = 0; attempt < FallbackAttempts && result.Count < max; attempt++)
        {
            var config = space.Sample(random);
            if (PredictedViolation(predictor((JsonObject)config.DeepClone())) > 0) continue;
            map.Accept(0);
            Fallbacks++;
            result.Add(new Suggestion(config));
        }
    }

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var inner = map.InnerOf(observation.Index, Name);
        if (inner > 0) Inner.Tell(observation with { Index = inner });
    }

    protected override void SaveOwn(JsonObject state)
    {
        state["index_map"] = map.Save();
        state["random"] = StrategyOptions.SaveRandom(random);
        state["rejected"] = Rejected;
        state["fallbacks"] = Fallbacks;
    }

    protected override void RestoreOwn(JsonObject state)
    {
        var r = StrategyOptions.RestoreRandom(state["random"]);
        map.Restore(state["index_map"] as JsonObject, Name);
        random = r;
        Rejected = StrategyState.RequireLong(state, Name, "rejected");
        Fallbacks = StrategyState.RequireLong(state, Name, "fallbacks");
    }
}
