using System.Globalization;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch.NN;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>The uniform ratio a MAC budget needs, and what it gives.</summary>
/// <param name="Ratio">The smallest uniform ratio (over the groups not fixed by the caller) that meets the budget.</param>
/// <param name="GroupRatios">The ratio of every prunable group (fixed ones included).</param>
/// <param name="Macs">MACs per image of the pruned network.</param>
/// <param name="MacsBefore">MACs per image of the unpruned network.</param>
public sealed record BudgetSolution(double Ratio, IReadOnlyDictionary<int, double> GroupRatios, long Macs, long MacsBefore);

/// <summary>
/// Budget mode of structured pruning: the smallest uniform pruning ratio whose pruned network has at
/// most a given number of MACs. MACs are measured, not estimated: the pruned description is realised
/// and traced with <see cref="CostTrace"/>. They only fall as the ratio grows (every group keeps
/// fewer channels), so bisection over the ratio finds the smallest one.
/// </summary>
public static class MacBudget
{
    /// <summary>MACs per image of <paramref name="description"/>, measured on a realised model.</summary>
    public static long Measure(ModelDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        using var model = new GraphModel(description);
        return Measure(model);
    }

    /// <summary>MACs per image of a realised model.</summary>
    public static long Measure(GraphModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CostTrace.Measure(model, model.Graph.InputShape.ToArray()).TotalMacs;
    }

    /// <summary>MACs per image after removing <paramref name="remove"/>[g] channels from each group.</summary>
    public static long MeasurePruned(ChannelDependencies dependencies, IReadOnlyDictionary<int, int> remove)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        ArgumentNullException.ThrowIfNull(remove);
        var counts = remove.ToDictionary(kv => kv.Key, kv => dependencies.Groups[kv.Key].Channels - kv.Value);
        return Measure(ChannelSurgery.Describe(ChannelPlan.FirstChannels(dependencies, counts)));
    }

    /// <summary>
    /// The smallest uniform ratio with at most <paramref name="targetMacs"/> MACs per image. Groups in
    /// <paramref name="fixedRatios"/> keep their ratio; every other prunable group gets the uniform one.
    /// </summary>
    /// <exception cref="ConfigException">Even one channel per group leaves more MACs than the target.</exception>
    public static BudgetSolution FindUniformRatio(ChannelDependencies dependencies, long targetMacs,
        IReadOnlyDictionary<int, double>? fixedRatios = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        fixedRatios ??= new Dictionary<int, double>();
        var cache = new Dictionary<string, long>();

        Dictionary<int, double> Ratios(double r) =>
            dependencies.Groups.Where(g => g.Prunable).ToDictionary(g => g.Id, g => fixedRatios.TryGetValue(g.Id, out var f) ? f : r);

        long MacsAt(double r)
        {
            cancel.ThrowIfCancellationRequested();
            var remove = PruningRatios.RemoveCounts(dependencies, Ratios(r));
            var key = string.Join(",", remove.OrderBy(kv => kv.Key).Select(kv => kv.Value));
            if (!cache.TryGetValue(key, out var macs)) cache[key] = macs = MeasurePruned(dependencies, remove);
            return macs;
        }

        var before = Measure(dependencies.Description);
        if (MacsAt(0) <= targetMacs) return new BudgetSolution(0, Ratios(0), MacsAt(0), before);
        // Just below 1 every free group keeps exactly one channel: the most pruning can do.
        const double Highest = 1 - 1e-9;
        var floor = MacsAt(Highest);
        if (floor > targetMacs)
            throw new ConfigException(string.Create(CultureInfo.InvariantCulture,
                $"prune: the MAC target {targetMacs:N0} is out of reach: keeping one channel in every prunable group still leaves {floor:N0} MACs (unpruned: {before:N0})"));
        double lo = 0, hi = Highest;
        for (var i = 0; i < 40 && hi - lo > 1e-7; i++)
        {
            var mid = (lo + hi) / 2;
            if (MacsAt(mid) <= targetMacs) hi = mid;
            else lo = mid;
        }
        return new BudgetSolution(hi, Ratios(hi), MacsAt(hi), before);
    }
}
