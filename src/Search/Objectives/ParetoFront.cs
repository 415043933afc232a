using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Objectives;

/// <summary>
/// The trade-off curve of a multi-objective search, kept up to date as results arrive: each result either joins the
/// front (pushing out the members it dominates) or is dominated and only kept for the full sorting. Infeasible
/// results (hard constraints) and results missing an objective never join. The hypervolume of the front relative to a
/// reference point measures the whole curve in one number, which is how searches are compared.
/// Not thread-safe; one owner updates it.
/// </summary>
public sealed class ParetoFront
{
    private readonly List<ParetoPoint> points = [];
    private readonly List<ParetoPoint> front = [];
    private int version;
    private (int Version, string Reference, double Value)? cached;

    public ParetoFront(IReadOnlyList<Objective> objectives, ConstraintSet? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0) throw new ArgumentException("a Pareto front needs at least one objective", nameof(objectives));
        Objectives = objectives.ToList();
        Constraints = constraints ?? ConstraintSet.None;
    }

    public IReadOnlyList<Objective> Objectives { get; }

    public ConstraintSet Constraints { get; }

    /// <summary>Every feasible result with all objectives, in the order added.</summary>
    public IReadOnlyList<ParetoPoint> Points => points;

    /// <summary>The non-dominated results, in the order they were added.</summary>
    public IReadOnlyList<ParetoPoint> Front => front;

    /// <summary>How many results were turned away as infeasible or incomplete.</summary>
    public int Rejected { get; private set; }

    /// <summary>The objectives of <paramref name="metrics"/> as "larger is better" scores, or null when one is missing.</summary>
    public double[]? Scores(IReadOnlyDictionary<string, double>? metrics)
    {
        var scores = new double[Objectives.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            if (Objectives[i].Score(metrics) is not { } s) return null;
            scores[i] = s;
        }
        return scores;
    }

    /// <summary>Adds a result; true when it is on the front afterwards.</summary>
    public bool Add(long id, IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null || !Constraints.IsFeasible(metrics) || Scores(metrics) is not { } scores)
        {
            Rejected++;
            return false;
        }
        var point = new ParetoPoint(id, new Dictionary<string, double>(metrics), scores);
        points.Add(point);
        if (front.Any(f => Dominance.Dominates(f.Scores, scores))) return false;
        front.RemoveAll(f => Dominance.Dominates(scores, f.Scores));
        front.Add(point);
        version++;
        return true;
    }

    /// <summary>All feasible results sorted into fronts (front 0 is <see cref="Front"/>), each in the order added.</summary>
    public IReadOnlyList<IReadOnlyList<ParetoPoint>> Fronts() =>
        NonDominatedSorting.Sort(points.Select(p => p.Scores).ToList())
            .Select(f => (IReadOnlyList<ParetoPoint>)f.Select(i => points[i]).ToList()).ToList();

    /// <summary>The crowding distance of each member of <see cref="Front"/> (same order).</summary>
    public IReadOnlyList<double> CrowdingDistances() =>
        NonDominatedSorting.CrowdingDistance(front.Select(p => p.Scores).ToList(), Enumerable.Range(0, front.Count).ToList());

    /// <summary>
    /// The hypervolume of the front relative to <paramref name="reference"/>, given in the metrics' own units (e.g.
    /// accuracy 0 and latency 100 ms); cached until the front changes.
    /// </summary>
    public double Hypervolume(IReadOnlyDictionary<string, double> reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var scores = Scores(reference) ?? throw new ArgumentException(
            $"the reference point needs a finite value for each objective ({string.Join(", ", Objectives.Select(o => o.Metric))})", nameof(reference));
        return HypervolumeOfScores(scores);
    }

    /// <summary>The hypervolume relative to a reference already in score space ("larger is better").</summary>
    public double HypervolumeOfScores(IReadOnlyList<double> referenceScores)
    {
        ArgumentNullException.ThrowIfNull(referenceScores);
        var key = string.Join(",", referenceScores.Select(r => r.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        if (cached is { } c && c.Version == version && c.Reference == key) return c.Value;
        var value = global::AutoCompress.Search.Objectives.Hypervolume.Compute(front.Select(p => p.Scores).ToList(), referenceScores);
        cached = (version, key, value);
        return value;
    }
}
