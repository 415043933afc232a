namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// The resources of the rungs: r·eta^k for k = 0, 1, ... with the last one capped at R, so that the top rung is
/// always a full-fidelity evaluation even when R/r is not a power of eta (r = 1, R = 10, eta = 3 gives 1, 3, 9, 10).
/// Shared by both schedulers, and checked in one place so that they reject the same bad settings the same way.
/// </summary>
public static class RungLadder
{
    /// <summary>More rungs than this means r and R are absurdly far apart (eta = 2 covers a factor of 2^63).</summary>
    public const int MaxRungs = 64;

    /// <summary>
    /// The rung resources for minimum resource <paramref name="minResource"/> (r), maximum <paramref name="maxResource"/> (R)
    /// and reduction factor <paramref name="eta"/>. Throws an <see cref="ArgumentException"/> naming the bad setting
    /// (as <paramref name="owner"/>.Name, e.g. "AshaOptions.Eta") unless eta &gt;= 2 and 0 &lt; r &lt;= R, all finite.
    /// </summary>
    public static IReadOnlyList<double> Resources(double minResource, double maxResource, double eta, string owner = "options")
    {
        Check(double.IsFinite(eta) && eta >= 2, owner, "Eta", eta, "the reduction factor eta must be a finite number of at least 2 (each rung keeps the top 1/eta)");
        Check(double.IsFinite(minResource) && minResource > 0, owner, "MinResource", minResource, "the minimum resource r must be a finite number greater than 0");
        Check(double.IsFinite(maxResource), owner, "MaxResource", maxResource, "the maximum resource R must be a finite number");
        Check(maxResource >= minResource, owner, "MaxResource", maxResource, $"the maximum resource R must be at least the minimum resource r = {minResource}");

        // A relative tolerance so that r·eta^k landing a rounding error below R counts as R (r = 0.1, eta = 3, R = 0.9).
        var reach = maxResource * (1 - 1e-9);
        var resources = new List<double> { minResource };
        for (var k = 1; resources[^1] < reach; k++)
        {
            var next = minResource * Math.Pow(eta, k);
            resources.Add(next >= reach ? maxResource : next);
            Check(resources.Count <= MaxRungs, owner, "MinResource", minResource,
                $"r = {minResource} and R = {maxResource} with eta = {eta} would need more than {MaxRungs} rungs");
        }
        if (resources.Count == 1) resources[0] = maxResource; // r within rounding of R: one rung at R
        return resources;
    }

    internal static void Check(bool ok, string owner, string name, object value, string rule)
    {
        if (!ok) throw new ArgumentException($"{owner}.{name} = {value}: {rule}", name);
    }
}
