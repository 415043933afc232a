namespace AutoCompress.Search.Agents;

/// <summary>
/// AMC's state for the layer being decided: its position, kind, channels, stride, kernel, MACs and weights (each
/// scaled to [0, 1] by its minimum and maximum over the searched layers, as AMC and HAQ do), then the dynamic part —
/// the fraction of the reference cost removed by the layers decided so far, the fraction still to come after this
/// layer, and the previous action. The agent takes one step per searched layer, in table order.
/// </summary>
public sealed class LayerEmbedding
{
    /// <summary>Features per state.</summary>
    public const int Size = 11;

    private readonly LayerBudget budget;
    private readonly double[][] features;

    public LayerEmbedding(LayerBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        this.budget = budget;
        Steps = budget.Layers.Select((l, i) => (l, i)).Where(p => p.l.Searched).Select(p => p.i).ToArray();
        var raw = Steps.Select((layer, step) =>
        {
            var l = budget.Layers[layer];
            return new double[] { step, l.Kind == "linear" ? 1 : 0, l.In, l.Out, l.Stride, l.Kernel, l.Macs, l.Params };
        }).ToArray();
        features = raw.Select(r => new double[r.Length]).ToArray();
        for (var k = 0; k < raw[0].Length; k++)
        {
            var (min, max) = (raw.Min(r => r[k]), raw.Max(r => r[k]));
            for (var s = 0; s < raw.Length; s++) features[s][k] = max > min ? (raw[s][k] - min) / (max - min) : 0;
        }
    }

    /// <summary>The table indices of the searched layers: step i decides layer Steps[i].</summary>
    public IReadOnlyList<int> Steps { get; }

    /// <summary>
    /// The state before step <paramref name="step"/>: <paramref name="values"/> holds the settings of the layers
    /// before it (the rest is ignored); <paramref name="previousAction"/> is the last step's action in [0, 1].
    /// </summary>
    public double[] State(int step, IReadOnlyList<double> values, double previousAction)
    {
        ArgumentNullException.ThrowIfNull(values);
        var layer = Steps[step];
        var settled = new double[budget.Layers.Count];
        for (var l = 0; l < settled.Length; l++) settled[l] = l < layer ? values[l] : budget.Unchanged(l);
        var state = new double[Size];
        features[step].CopyTo(state, 0);
        state[8] = budget.Reference > 0 ? (budget.Reference - budget.Cost(settled)) / budget.Reference : 0;
        state[9] = budget.RestFraction(layer);
        state[10] = previousAction;
        return state;
    }
}
