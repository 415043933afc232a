namespace AutoCompress.Search.Objectives;

/// <summary>
/// Pareto dominance between score vectors in which larger is better in every component (metrics pass through
/// <see cref="AutoCompress.Contracts.Search.Objective.Score"/> first, which negates the ones to minimise).
/// </summary>
public static class Dominance
{
    /// <summary>True when <paramref name="a"/> is at least as good as <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"score vectors differ in length ({a.Count} and {b.Count})");
        var better = false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] < b[i]) return false;
            if (a[i] > b[i]) better = true;
        }
        return better;
    }

    /// <summary>
    /// Deb's constraint domination: a feasible solution (violation 0) beats an infeasible one; of two infeasible ones
    /// the smaller total violation wins; of two feasible ones Pareto dominance decides.
    /// </summary>
    public static bool ConstraintDominates(IReadOnlyList<double> a, double violationA, IReadOnlyList<double> b, double violationB)
    {
        var feasibleA = violationA <= 0;
        var feasibleB = violationB <= 0;
        if (feasibleA && !feasibleB) return true;
        if (!feasibleA && feasibleB) return false;
        if (!feasibleA) return violationA < violationB;
        return Dominates(a, b);
    }
}
