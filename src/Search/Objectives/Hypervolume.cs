namespace AutoCompress.Search.Objectives;

/// <summary>
/// The hypervolume indicator: the size of the region dominated by a set of points and bounded by a reference point,
/// with "larger is better" in every component (the reference is worse than the points of interest in all of them).
/// A point not strictly better than the reference in every component adds nothing.
/// <para>
/// Exact in any dimension by recursive slicing (Hypervolume by Slicing Objectives, While et al. 2006): one dimension
/// is a maximum, two a sweep over the points sorted by the first component (O(n log n)), and d &gt;= 3 cuts the
/// region into slabs along the last component and adds up the (d-1)-dimensional volumes of the slabs, so three
/// objectives cost O(n² log n) and d objectives O(n^(d-1) log n). That is instant for the fronts a search produces
/// with 2–4 objectives (hundreds of points); with 5 or more objectives and large fronts it becomes slow, and an
/// algorithm such as WFG would be the next step.
/// </para>
/// </summary>
public static class Hypervolume
{
    /// <summary>The hypervolume of <paramref name="points"/> relative to <paramref name="reference"/>.</summary>
    public static double Compute(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        var d = reference.Count;
        if (d == 0) throw new ArgumentException("the reference point has no components", nameof(reference));
        if (reference.Any(r => !double.IsFinite(r))) throw new ArgumentException("the reference point must be finite", nameof(reference));
        var useful = new List<double[]>(points.Count);
        foreach (var p in points)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(points));
            if (p.Count != d) throw new ArgumentException($"a point has {p.Count} components, the reference {d}", nameof(points));
            var inside = true;
            for (var i = 0; i < d && inside; i++) inside = p[i] > reference[i]; // also drops NaN
            if (inside) useful.Add(p.ToArray());
        }
        return Slice(useful, d, reference.ToArray());
    }

    private static double Slice(List<double[]> points, int dims, double[] reference)
    {
        if (points.Count == 0) return 0;
        if (dims == 1) return points.Max(p => p[0]) - reference[0];
        if (dims == 2) return Sweep(points, reference);
        var last = dims - 1;
        var sorted = points.OrderByDescending(p => p[last]).ToList();
        var volume = 0.0;
        var slab = new List<double[]>(sorted.Count);
        for (var k = 0; k < sorted.Count; k++)
        {
            slab.Add(sorted[k]);
            var top = sorted[k][last];
            var bottom = k + 1 < sorted.Count ? sorted[k + 1][last] : reference[last];
            if (top > bottom) volume += Slice(slab, dims - 1, reference) * (top - bottom);
        }
        return volume;
    }

    private static double Sweep(List<double[]> points, double[] reference)
    {
        var sorted = points.OrderByDescending(p => p[0]).ThenByDescending(p => p[1]).ToList();
        var area = 0.0;
        var height = reference[1];
        foreach (var p in sorted)
        {
            if (p[1] <= height) continue;
            area += (p[0] - reference[0]) * (p[1] - height);
            height = p[1];
        }
        return area;
    }
}
