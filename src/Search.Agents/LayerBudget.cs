using System.Globalization;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Agents;

/// <summary>
/// The cost model behind the budget, and AMC's rule for keeping every episode within it.
/// <para>
/// Pruning: a layer's cost is its uncompressed cost × (1 − its own ratio) × (1 − the ratio of the layer it takes its
/// inputs from), since pruning a layer's output channels removes the matching input channels of the next layer.
/// Bit widths: a layer's cost is its cost × its bits, against a reference of every layer at the reference width
/// (model size in bits for "params", a bit-operations proxy for "macs").
/// </para>
/// <para>
/// Clipping (AMC's resource-constrained search, HAQ's budget applied the same way): when layer t is decided, the
/// layers before it are fixed, and every searched layer after it is assumed at its strongest compression; the action
/// of layer t is raised (ratios) or lowered (bits) just enough that the budget stays reachable. The total cost is
/// affine in layer t's setting (each term holds it at most once), so that limit is exact. If the budget is reachable
/// at all (checked on construction), it stays reachable after every step, and the finished configuration meets it.
/// The limit aims a relative 1e-9 below the budget so rounding in the sums cannot push a result over it.
/// </para>
/// </summary>
public sealed class LayerBudget
{
    private const double Margin = 1e-9;
    private readonly double[] baseCost;
    private readonly int[] source;

    /// <param name="layers">The layer table.</param>
    /// <param name="action">Pruning ratios or bit widths.</param>
    /// <param name="metric">"macs" or "params".</param>
    /// <param name="ratio">The allowed fraction of the reference cost.</param>
    /// <param name="ranges">Per layer, the values the agent may choose (ratios or bits); ignored for layers not searched.</param>
    /// <param name="referenceBits">Bits of the uncompressed reference (bit widths only).</param>
    /// <param name="fixedBits">Bits of the layers not searched (bit widths only).</param>
    public LayerBudget(IReadOnlyList<LayerSpec> layers, CompressionAction action, string metric, double ratio,
        IReadOnlyList<(double Low, double High)> ranges, double referenceBits = 0, double fixedBits = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count != layers.Count) throw new ArgumentException("one range per layer is needed", nameof(ranges));
        (Layers, Action, Metric, Ratio, Ranges, ReferenceBits, FixedBits) = (layers, action, metric, ratio, ranges, referenceBits, fixedBits);
        baseCost = layers.Select(l => l.Cost(metric)).ToArray();
        var index = layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        source = layers.Select(l => l.InputFrom is { } s ? index[s] : -1).ToArray();
        // Through Cost itself, so a budget that the strongest compression meets exactly compares equal, bit for bit.
        Reference = Cost(Enumerable.Repeat(action == CompressionAction.Prune ? 0 : referenceBits, layers.Count).ToArray());
        Budget = ratio * Reference;
        MinimumCost = Cost(Enumerable.Range(0, layers.Count).Select(Strongest).ToArray());
    }

    public IReadOnlyList<LayerSpec> Layers { get; }

    public CompressionAction Action { get; }

    public string Metric { get; }

    public double Ratio { get; }

    public IReadOnlyList<(double Low, double High)> Ranges { get; }

    public double ReferenceBits { get; }

    public double FixedBits { get; }

    /// <summary>The cost of the uncompressed network (every layer at the reference bit width).</summary>
    public double Reference { get; }

    /// <summary>The most a configuration may cost: <see cref="Ratio"/> × <see cref="Reference"/>.</summary>
    public double Budget { get; }

    /// <summary>The cost with every searched layer at its strongest compression.</summary>
    public double MinimumCost { get; }

    /// <summary>Whether any configuration meets the budget.</summary>
    public bool IsReachable => MinimumCost <= Budget;

    /// <summary>Throws a <see cref="SearchSpaceException"/> with the numbers when the budget cannot be met.</summary>
    public void EnsureReachable(string strategy)
    {
        if (IsReachable) return;
        throw new SearchSpaceException(string.Create(CultureInfo.InvariantCulture,
            $"strategy '{strategy}': the target {Metric} ratio {Ratio} cannot be reached: at the strongest compression the space allows, " +
            $"the {Metric} are {MinimumCost:G6} of {Reference:G6} (ratio {MinimumCost / Reference:G4})"));
    }

    /// <summary>The setting of a layer that is not compressed further (ratio 0, or the fixed bit width when not searched).</summary>
    public double Unchanged(int layer) => Action == CompressionAction.Prune ? 0 : Layers[layer].Searched ? ReferenceBits : FixedBits;

    /// <summary>The strongest compression of a layer (its largest ratio or fewest bits; its fixed setting when not searched).</summary>
    public double Strongest(int layer) =>
        !Layers[layer].Searched ? (Action == CompressionAction.Prune ? 0 : FixedBits)
        : Action == CompressionAction.Prune ? Ranges[layer].High : Ranges[layer].Low;

    /// <summary>The cost of a configuration: one setting (ratio or bits) per layer, table order.</summary>
    public double Cost(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Layers.Count) throw new ArgumentException($"one value per layer ({Layers.Count}) is needed", nameof(values));
        var total = 0.0;
        for (var l = 0; l < Layers.Count; l++)
            total += Action == CompressionAction.Prune
                ? baseCost[l] * (1 - values[l]) * (source[l] >= 0 ? 1 - values[source[l]] : 1)
                : baseCost[l] * values[l];
        return total;
    }

    /// <summary>The cost of the layers after <paramref name="layer"/> (table order) as a fraction of the reference, uncompressed.</summary>
    public double RestFraction(int layer)
    {
        var total = baseCost.Sum();
        return total > 0 ? baseCost.Skip(layer + 1).Sum() / total : 0;
    }

    /// <summary>
    /// AMC's action wall: the setting of <paramref name="layer"/> nearest to <paramref name="proposed"/> that keeps the
    /// budget reachable, given the settings already chosen in <paramref name="decided"/> for the layers before it
    /// (later entries are ignored). Ratios come back in the layer's range, bits as whole numbers in it.
    /// </summary>
    public double Clip(int layer, IReadOnlyList<double> decided, double proposed)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var (low, high) = Ranges[layer];
        var values = new double[Layers.Count];
        for (var l = 0; l < Layers.Count; l++) values[l] = l < layer ? decided[l] : Strongest(l);
        var target = Budget * (1 - Margin);
        if (Action == CompressionAction.Prune)
        {
            values[layer] = 0;
            var atZero = Cost(values);
            values[layer] = 1;
            var slope = atZero - Cost(values); // cost falls by this much per unit of ratio
            var needed = slope > 0 ? (atZero - target) / slope : double.NegativeInfinity;
            return Math.Clamp(Math.Max(proposed, needed), low, high);
        }
        values[layer] = 0;
        var others = Cost(values);
        var perBit = baseCost[layer];
        var allowed = perBit > 0 ? Math.Floor((target - others) / perBit) : double.PositiveInfinity;
        return Math.Clamp(Math.Min(Math.Floor(proposed + 0.5), allowed), low, high);
    }
}
