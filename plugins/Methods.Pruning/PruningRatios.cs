using System.Globalization;
using AutoCompress.Contracts.Methods;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Turns pruning ratios into channel counts per group: a default ratio for every prunable group,
/// overridden per layer. A layer named in the overrides must exist and be prunable, and the
/// producers of one group (tied by a residual add) must not ask for different ratios.
/// </summary>
public static class PruningRatios
{
    /// <summary>Channels removed from a group of <paramref name="channels"/> at <paramref name="ratio"/>: ⌊ratio·n⌋, keeping at least one.</summary>
    public static int RemoveCount(int channels, double ratio) =>
        Math.Clamp((int)Math.Floor(ratio * channels + 1e-9), 0, Math.Max(0, channels - 1));

    /// <summary>
    /// The ratio of every prunable group: <paramref name="ratio"/> unless a producer of the group is
    /// named in <paramref name="layerRatios"/>. Invalid names or values throw a <see cref="ConfigException"/>
    /// naming the layer.
    /// </summary>
    public static Dictionary<int, double> ForGroups(ChannelDependencies dependencies, double ratio, IReadOnlyDictionary<string, double>? layerRatios)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var overrides = Overrides(dependencies, layerRatios);
        return dependencies.Groups.Where(g => g.Prunable).ToDictionary(g => g.Id, g => overrides.TryGetValue(g.Id, out var r) ? r : ratio);
    }

    /// <summary>The groups named (through one of their producers) in <paramref name="layerRatios"/>, with their ratio.</summary>
    public static Dictionary<int, double> Overrides(ChannelDependencies dependencies, IReadOnlyDictionary<string, double>? layerRatios)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var result = new Dictionary<int, double>();
        var namedBy = new Dictionary<int, string>();
        foreach (var (id, r) in layerRatios ?? new Dictionary<string, double>())
        {
            CheckRatio(id, r);
            if (dependencies.WhyNotPrunable(id) is { } why) throw new ConfigException($"prune: layer_ratios: {why}");
            var g = dependencies.GroupOf(id)!.Id;
            if (result.TryGetValue(g, out var previous) && previous != r)
                throw new ConfigException(
                    $"prune: layer_ratios: '{namedBy[g]}' ({Format(previous)}) and '{id}' ({Format(r)}) share their output channels (residual add), so they need one ratio");
            result[g] = r;
            namedBy.TryAdd(g, id);
        }
        return result;
    }

    /// <summary>Checks one per-layer ratio is in [0, 0.99].</summary>
    public static void CheckRatio(string layerId, double ratio)
    {
        if (ratio is < 0 or > 0.99 || double.IsNaN(ratio))
            throw new ConfigException($"prune: layer_ratios: '{layerId}' = {Format(ratio)} is outside [0, 0.99]");
    }

    /// <summary>Channels to remove per group for the given ratios.</summary>
    public static Dictionary<int, int> RemoveCounts(ChannelDependencies dependencies, IReadOnlyDictionary<int, double> groupRatios)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        ArgumentNullException.ThrowIfNull(groupRatios);
        return groupRatios.ToDictionary(kv => kv.Key, kv => RemoveCount(dependencies.Groups[kv.Key].Channels, kv.Value));
    }

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);
}
