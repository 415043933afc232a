namespace AutoCompress.StrategyBench;

/// <summary>One single-objective run, read at each budget: the cell with the best validation accuracy so far.</summary>
/// <param name="Strategy">The strategy's catalog name.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="TestAtBudget">Its test accuracy (%) after each budget's number of queries.</param>
/// <param name="ValidAtBudget">Its validation accuracy (%).</param>
/// <param name="UniqueAtBudget">How many distinct cells had been queried.</param>
/// <param name="Trace">The queries themselves.</param>
internal sealed record SingleRun(string Strategy, long Seed, double[] TestAtBudget, double[] ValidAtBudget, int[] UniqueAtBudget, RunTrace Trace);

/// <summary>One multi-objective run: the hypervolume of what it found as a fraction of the true front's, at each budget.</summary>
internal sealed record FrontRun(string Strategy, string Device, long Seed, double[] FractionAtBudget, RunTrace Trace);

/// <summary>Reads runs at the budgets.</summary>
internal static class Results
{
    /// <summary>
    /// The incumbent after each budget: the first cell reaching the highest validation accuracy so far (a later tie
    /// does not replace it). A run that stopped early keeps its last incumbent for the larger budgets.
    /// </summary>
    public static SingleRun Read(string strategy, long seed, RunTrace trace, TableOracle oracle, IReadOnlyList<int> budgets)
    {
        var test = new double[budgets.Count];
        var valid = new double[budgets.Count];
        var unique = new int[budgets.Count];
        var seen = new HashSet<int>();
        double bestValid = double.NegativeInfinity, bestTest = double.NaN;
        var b = 0;
        for (var q = 0; q < trace.Cells.Length && b < budgets.Count; q++)
        {
            var cell = oracle.Table[trace.Cells[q]];
            seen.Add(cell.Index);
            if (cell.ValidationAccuracyPercent > bestValid) (bestValid, bestTest) = (cell.ValidationAccuracyPercent, cell.TestAccuracyPercent);
            while (b < budgets.Count && budgets[b] == q + 1) (test[b], valid[b], unique[b], b) = (bestTest, bestValid, seen.Count, b + 1);
        }
        for (; b < budgets.Count; b++) (test[b], valid[b], unique[b]) = (bestTest, bestValid, seen.Count);
        return new SingleRun(strategy, seed, test, valid, unique, trace);
    }
}
