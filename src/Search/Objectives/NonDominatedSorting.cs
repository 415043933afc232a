namespace AutoCompress.Search.Objectives;

/// <summary>
/// NSGA-II's ranking (Deb et al. 2002): the fast non-dominated sort splits points into fronts (front 0 is dominated by
/// nothing, front 1 only by front 0, ...), and the crowding distance says how isolated a point is within its front,
/// so that selection keeps the front spread out. Scores are "larger is better" in every component.
/// </summary>
public static class NonDominatedSorting
{
    /// <summary>
    /// The fronts, best first, each listing point indices in ascending order. With <paramref name="violations"/>,
    /// constraint domination is used (see <see cref="Dominance.ConstraintDominates"/>): every feasible point ranks
    /// ahead of every infeasible one.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Sort(IReadOnlyList<IReadOnlyList<double>> scores, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (violations is not null && violations.Count != scores.Count)
            throw new ArgumentException($"{scores.Count} points but {violations.Count} violations", nameof(violations));
        var n = scores.Count;
        var dominatedBy = new int[n];           // how many points dominate i
        var dominates = new List<int>[n];       // the points i dominates
        for (var i = 0; i < n; i++) dominates[i] = [];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                if (Beats(i, j)) { dominates[i].Add(j); dominatedBy[j]++; }
                else if (Beats(j, i)) { dominates[j].Add(i); dominatedBy[i]++; }
            }
        var fronts = new List<IReadOnlyList<int>>();
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (var i in current)
                foreach (var j in dominates[i])
                    if (--dominatedBy[j] == 0) next.Add(j);
            next.Sort();
            current = next;
        }
        return fronts;

        bool Beats(int a, int b) => violations is null
            ? Dominance.Dominates(scores[a], scores[b])
            : Dominance.ConstraintDominates(scores[a], violations[a], scores[b], violations[b]);
    }

    /// <summary>
    /// The crowding distance of each point of <paramref name="front"/> (same order): per objective, the two extreme
    /// points get +infinity and an interior point the gap between its neighbours divided by the objective's range;
    /// the distances add up over objectives. An objective on which the front is flat adds nothing.
    /// Ties in value keep the points' index order, so the result is deterministic.
    /// </summary>
    public static double[] CrowdingDistance(IReadOnlyList<IReadOnlyList<double>> scores, IReadOnlyList<int> front)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(front);
        var m = front.Count;
        var distance = new double[m];
        if (m == 0) return distance;
        if (m <= 2)
        {
            Array.Fill(distance, double.PositiveInfinity);
            return distance;
        }
        var objectives = scores[front[0]].Count;
        var order = new int[m];
        for (var k = 0; k < objectives; k++)
        {
            for (var i = 0; i < m; i++) order[i] = i;
            var key = k;
            Array.Sort(order, (a, b) =>
            {
                var c = scores[front[a]][key].CompareTo(scores[front[b]][key]);
                return c != 0 ? c : front[a].CompareTo(front[b]);
            });
            var low = scores[front[order[0]]][k];
            var high = scores[front[order[m - 1]]][k];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[m - 1]] = double.PositiveInfinity;
            var range = high - low;
            if (!(range > 0) || !double.IsFinite(range)) continue;
            for (var i = 1; i < m - 1; i++)
                distance[order[i]] += (scores[front[order[i + 1]]][k] - scores[front[order[i - 1]]][k]) / range;
        }
        return distance;
    }
}
