using AutoCompress.Evaluators.NasBench201;
using AutoCompress.Search.Objectives;

namespace AutoCompress.StrategyBench;

/// <summary>
/// Hypervolume of (validation accuracy, latency on one device), both turned into "larger is better" as the search's
/// Hypervolume class expects: points are (validation accuracy %, −latency ms). The reference point is the nadir of the
/// whole table, (lowest validation accuracy of any cell, −highest latency of any cell on the device), so every cell
/// lies in the reference box and the true front's hypervolume is the most any search can reach.
/// </summary>
internal sealed class Fronts
{
    private readonly double[][] points;

    public Fronts(Nb201Table table, string device)
    {
        var d = table.Devices.ToList().IndexOf(device);
        if (d < 0) throw new ArgumentException($"device '{device}' is not in the latency table (it has {string.Join(", ", table.Devices)})");
        Device = device;
        points = table.Cells.Select(c => new[] { c.ValidationAccuracyPercent, -c.LatencyMs[d] }).ToArray();
        Reference = [points.Min(p => p[0]), points.Min(p => p[1])];
        TrueHypervolume = Hypervolume.Compute(points, Reference);
        var height = double.NegativeInfinity;
        foreach (var p in points.OrderByDescending(p => p[0]).ThenByDescending(p => p[1]))
            if (p[1] > height) (height, TrueFront) = (p[1], TrueFront + 1);
    }

    public string Device { get; }

    /// <summary>(validation accuracy %, −latency ms) of the nadir.</summary>
    public double[] Reference { get; }

    public double TrueHypervolume { get; }

    /// <summary>Number of cells on the true Pareto front.</summary>
    public int TrueFront { get; }

    /// <summary>The run's hypervolume as a fraction of the true front's, after each budget.</summary>
    public double[] Fractions(RunTrace trace, IReadOnlyList<int> budgets)
    {
        var found = new List<IReadOnlyList<double>>(trace.Cells.Length);
        var result = new double[budgets.Count];
        var b = 0;
        for (var q = 0; q < trace.Cells.Length && b < budgets.Count; q++)
        {
            found.Add(points[trace.Cells[q]]);
            if (budgets[b] == q + 1) result[b++] = Hypervolume.Compute(found, Reference) / TrueHypervolume;
        }
        var last = found.Count == 0 ? 0 : Hypervolume.Compute(found, Reference) / TrueHypervolume;
        for (; b < budgets.Count; b++) result[b] = last;
        return result;
    }
}
