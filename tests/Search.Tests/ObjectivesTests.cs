using AutoCompress.Contracts.Search;
using AutoCompress.Search.Objectives;
using FsCheck;
using FsCheck.Fluent;

namespace AutoCompress.Search.Tests;

public class ObjectivesTests
{
    private static double[] P(params double[] x) => x;

    [Fact]
    public void Non_dominated_sorting_matches_a_hand_worked_example()
    {
        // Maximise both. Front 0: a, b, c, f (nothing beats them); front 1: e (beaten by b, c), g (beaten by a);
        // front 2: d (beaten by e); the duplicate h of e sits with e.
        IReadOnlyList<double>[] points = [P(1, 5), P(2, 4), P(3, 3), P(1, 1), P(2, 2), P(0, 6), P(0, 4), P(2, 2)];
        var fronts = NonDominatedSorting.Sort(points);
        Assert.Equal(3, fronts.Count);
        Assert.Equal(new[] { 0, 1, 2, 5 }, fronts[0]);
        Assert.Equal(new[] { 4, 6, 7 }, fronts[1]);
        Assert.Equal(new[] { 3 }, fronts[2]);
    }

    [Fact]
    public void Crowding_distance_matches_a_hand_worked_example()
    {
        IReadOnlyList<double>[] points = [P(1, 4), P(4, 1), P(2, 3), P(3.5, 1.5), P(9, 9)];
        var d = NonDominatedSorting.CrowdingDistance(points, [0, 1, 2, 3]);
        // Ranges are 3 in both objectives. Point 2 (2, 3): neighbours (1, 4) and (3.5, 1.5): 2.5/3 + 2.5/3.
        // Point 3 (3.5, 1.5): neighbours (2, 3) and (4, 1): 2/3 + 2/3.
        Assert.Equal(double.PositiveInfinity, d[0]);
        Assert.Equal(double.PositiveInfinity, d[1]);
        Assert.Equal(5.0 / 3, d[2], 12);
        Assert.Equal(4.0 / 3, d[3], 12);
        Assert.All(NonDominatedSorting.CrowdingDistance(points, [0, 4]), x => Assert.Equal(double.PositiveInfinity, x));
    }

    [Fact]
    public void Constraint_domination_follows_debs_rule()
    {
        double[] good = [10, 10], bad = [0, 0];
        Assert.True(Dominance.ConstraintDominates(bad, 0, good, 0.1));  // feasible beats infeasible, however good
        Assert.False(Dominance.ConstraintDominates(good, 0.1, bad, 0));
        Assert.True(Dominance.ConstraintDominates(bad, 0.2, good, 0.3)); // smaller violation wins
        Assert.False(Dominance.ConstraintDominates(good, 0.3, bad, 0.2));
        Assert.False(Dominance.ConstraintDominates(good, 0.3, bad, 0.3));
        Assert.True(Dominance.ConstraintDominates(good, 0, bad, 0));    // both feasible: Pareto dominance
        Assert.False(Dominance.ConstraintDominates(P(1, 2), 0, P(2, 1), 0));
        var fronts = NonDominatedSorting.Sort([P(0, 0), P(9, 9), P(5, 5), P(1, 1)], [0, 0.5, 0.1, 0]);
        Assert.Equal(new[] { 3 }, fronts[0]);
        Assert.Equal(new[] { 0 }, fronts[1]);
        Assert.Equal(new[] { 2 }, fronts[2]);
        Assert.Equal(new[] { 1 }, fronts[3]);
    }

    [Fact]
    public void Constraint_violations_are_relative_to_the_bound_and_missing_metrics_are_infeasible()
    {
        var set = new ConstraintSet([new Constraint("latency", Max: 5), new Constraint("acc", Min: 0.5)]);
        Assert.Equal(0, set.Violation(new Dictionary<string, double> { ["latency"] = 5, ["acc"] = 0.5 }));
        Assert.Equal(0.2 + 0.5, set.Violation(new Dictionary<string, double> { ["latency"] = 6, ["acc"] = 0.25 }), 12);
        Assert.Equal(double.PositiveInfinity, set.Violation(new Dictionary<string, double> { ["latency"] = 1 }));
        Assert.Equal(0.7, set.Violation(new Dictionary<string, double> { ["latency"] = 1, ["acc"] = 1, [ConstraintSet.ViolationMetric] = 0.7 }), 12);
        Assert.Equal("latency_ms = 7 > 5", new ConstraintSet([new Constraint("latency_ms", Max: 5)]).Describe(new Dictionary<string, double> { ["latency_ms"] = 7 }));
    }

    [Fact]
    public void Hypervolume_matches_hand_computed_values()
    {
        // 2-D staircase: boxes of 1×3, 2×2, 3×1 overlap into 3 + 2 + 1.
        Assert.Equal(6, Hypervolume.Compute([P(1, 3), P(2, 2), P(3, 1)], P(0, 0)), 12);
        // A dominated point and a point behind the reference add nothing.
        Assert.Equal(6, Hypervolume.Compute([P(1, 3), P(2, 2), P(3, 1), P(1, 1), P(5, -1)], P(0, 0)), 12);
        Assert.Equal(4, Hypervolume.Compute([P(3, 3)], P(1, 1)), 12);
        // 3-D: one box is its volume; two boxes 2×2×1 and 1×1×2 overlap in 1×1×1.
        Assert.Equal(6, Hypervolume.Compute([P(1, 2, 3)], P(0, 0, 0)), 12);
        Assert.Equal(4 + 2 - 1, Hypervolume.Compute([P(2, 2, 1), P(1, 1, 2)], P(0, 0, 0)), 12);
        // 4-D: two unit-offset boxes 2×1×1×1 and 1×2×1×1 overlap in a unit box.
        Assert.Equal(3, Hypervolume.Compute([P(2, 1, 1, 1), P(1, 2, 1, 1)], P(0, 0, 0, 0)), 12);
        Assert.Equal(0, Hypervolume.Compute([], P(0, 0)));
        Assert.Equal(2, Hypervolume.Compute([P(3), P(2)], P(1)));
    }

    /// <summary>Exact hypervolume by inclusion–exclusion over all subsets (the volume of an intersection of boxes is a box).</summary>
    private static double InclusionExclusion(double[][] points, double[] reference)
    {
        var total = 0.0;
        for (var mask = 1; mask < 1 << points.Length; mask++)
        {
            var volume = 1.0;
            for (var k = 0; k < reference.Length; k++)
            {
                var corner = double.PositiveInfinity;
                for (var i = 0; i < points.Length; i++)
                    if ((mask & (1 << i)) != 0) corner = Math.Min(corner, points[i][k]);
                volume *= Math.Max(0, corner - reference[k]);
            }
            total += (int.PopCount(mask) % 2 == 1 ? 1 : -1) * volume;
        }
        return total;
    }

    private static Gen<double[][]> PointSets(int maxPoints) =>
        from d in Gen.Choose(2, 5)
        from n in Gen.Choose(0, maxPoints)
        from coordinates in Gen.Choose(-2, 20).ArrayOf(n * d) // integers make ties and points behind the reference common
        select Enumerable.Range(0, n).Select(i => coordinates.Skip(i * d).Take(d).Select(c => c / 10.0).ToArray()).ToArray();

    [Fact]
    public void Hypervolume_equals_inclusion_exclusion_on_random_point_sets()
    {
        Prop.ForAll(PointSets(9).ToArbitrary(), points =>
        {
            var d = points.Length > 0 ? points[0].Length : 2;
            var reference = new double[d];
            var exact = InclusionExclusion(points, reference);
            return Math.Abs(Hypervolume.Compute(points, reference) - exact) <= 1e-9 * Math.Max(1, exact);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Hypervolume_agrees_with_a_monte_carlo_estimate()
    {
        Prop.ForAll(PointSets(30).ToArbitrary(), Gen.Choose(1, 1_000_000).ToArbitrary(), (points, seed) =>
        {
            var d = points.Length > 0 ? points[0].Length : 2;
            var reference = new double[d];
            var box = Enumerable.Range(0, d).Select(k => points.Length == 0 ? 1 : Math.Max(0.1, points.Max(p => p[k]))).ToArray();
            var boxVolume = box.Aggregate(1.0, (a, b) => a * b);
            var random = new SeededRandom(seed);
            const int samples = 20_000;
            var inside = 0;
            var x = new double[d];
            for (var s = 0; s < samples; s++)
            {
                for (var k = 0; k < d; k++) x[k] = random.NextDouble() * box[k];
                if (points.Any(p => p.Zip(x).All(t => t.First >= t.Second))) inside++;
            }
            var estimate = boxVolume * inside / samples;
            var f = (double)inside / samples;
            var tolerance = 5 * boxVolume * Math.Sqrt(Math.Max(f * (1 - f), 1.0 / samples) / samples);
            return Math.Abs(Hypervolume.Compute(points, reference) - estimate) <= tolerance;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Fact]
    public void The_incremental_front_equals_the_first_front_of_a_full_sort()
    {
        Prop.ForAll(PointSets(40).ToArbitrary(), points =>
        {
            if (points.Length == 0) return true;
            var objectives = Enumerable.Range(0, points[0].Length).Select(k => new Objective($"m{k}", k % 2 == 0 ? Direction.Maximize : Direction.Minimize)).ToList();
            var front = new ParetoFront(objectives);
            for (var i = 0; i < points.Length; i++)
                front.Add(i, Enumerable.Range(0, points[i].Length).ToDictionary(k => $"m{k}", k => points[i][k]));
            var scores = points.Select(p => (IReadOnlyList<double>)p.Select((v, k) => k % 2 == 0 ? v : -v).ToArray()).ToList();
            var expected = NonDominatedSorting.Sort(scores)[0];
            return front.Front.Select(p => (int)p.Id).Order().SequenceEqual(expected)
                   && front.Fronts().Sum(f => f.Count) == points.Length
                   && front.Fronts()[0].Count == expected.Count;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void The_pareto_front_works_in_metric_units_and_turns_away_infeasible_and_incomplete_results()
    {
        var front = new ParetoFront([new Objective("acc", Direction.Maximize), new Objective("latency", Direction.Minimize)],
            new ConstraintSet([new Constraint("latency", Max: 10)]));
        Assert.True(front.Add(1, new Dictionary<string, double> { ["acc"] = 0.9, ["latency"] = 8 }));
        Assert.True(front.Add(2, new Dictionary<string, double> { ["acc"] = 0.8, ["latency"] = 4 }));
        Assert.False(front.Add(3, new Dictionary<string, double> { ["acc"] = 0.7, ["latency"] = 5 }));  // dominated by 2
        Assert.False(front.Add(4, new Dictionary<string, double> { ["acc"] = 0.99, ["latency"] = 11 })); // infeasible
        Assert.False(front.Add(5, new Dictionary<string, double> { ["acc"] = 0.99 }));                   // incomplete
        Assert.False(front.Add(6, null));
        Assert.Equal(3, front.Rejected);
        Assert.Equal(new long[] { 1, 2 }, front.Front.Select(p => p.Id));
        // Reference acc 0, latency 10: boxes 0.9 × 2 and 0.8 × 6 overlap in 0.8 × 2.
        var reference = new Dictionary<string, double> { ["acc"] = 0, ["latency"] = 10 };
        Assert.Equal(0.9 * 2 + 0.8 * 6 - 0.8 * 2, front.Hypervolume(reference), 12);
        Assert.True(front.Add(7, new Dictionary<string, double> { ["acc"] = 0.95, ["latency"] = 3 })); // dominates both
        Assert.Equal(new long[] { 7 }, front.Front.Select(p => p.Id));
        Assert.Equal(0.95 * 7, front.Hypervolume(reference), 12);
        Assert.Equal(3, front.Fronts().Count);
        Assert.All(front.CrowdingDistances(), d => Assert.Equal(double.PositiveInfinity, d));
    }
}
