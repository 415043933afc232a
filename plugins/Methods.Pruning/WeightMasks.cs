using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Unstructured magnitude pruning: a 0/1 mask per layer weight that zeroes its smallest-|w| entries.
/// Fine-tuning must re-apply the masks after every optimizer step (momentum and weight decay would
/// otherwise revive pruned weights), which <see cref="Apply"/> does. The masks are native tensors owned
/// by this object.
/// </summary>
public sealed class WeightMasks : IDisposable
{
    private readonly Dictionary<string, Tensor> masks;
    private readonly Dictionary<string, Tensor> weights;

    private WeightMasks(GraphModel model, Dictionary<string, Tensor> masks)
    {
        this.masks = masks;
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        weights = masks.Keys.ToDictionary(id => id, id => parameters[$"{id}.weight"]);
    }

    /// <summary>The layer ids whose weights are masked.</summary>
    public IReadOnlyCollection<string> Layers => masks.Keys;

    /// <summary>
    /// Per layer, zeroes the ⌊ratio·n⌋ smallest-magnitude weights of each layer in <paramref name="ratios"/>
    /// (layer id → ratio); equal magnitudes are ordered deterministically. At least one weight survives.
    /// </summary>
    public static WeightMasks PerLayer(GraphModel model, IReadOnlyDictionary<string, double> ratios)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ratios);
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (id, ratio) in ratios)
            {
                var w = Weight(parameters, id);
                var values = Magnitudes(w);
                var keep = Enumerable.Repeat(1f, values.Length).ToArray();
                var remove = (int)Math.Floor(ratio * values.Length + 1e-9);
                foreach (var i in SmallestFirst(values).Take(Math.Min(remove, values.Length - 1))) keep[i] = 0;
                result[id] = MaskTensor(keep, w.Shape);
            }
            return new WeightMasks(model, result);
        }
        catch
        {
            foreach (var m in result.Values) m.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One magnitude threshold over all <paramref name="layers"/>: the ⌊ratio·N⌋ smallest |w| of all their
    /// N weights are zeroed, wherever they are. A layer never loses all its weights (its largest survives).
    /// </summary>
    public static WeightMasks Global(GraphModel model, IReadOnlyList<string> layers, double ratio)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        var all = layers.Select(id => (Id: id, Tensor: Weight(parameters, id), Values: Magnitudes(Weight(parameters, id)))).ToList();
        var flat = all.SelectMany(l => l.Values).ToArray();
        var owner = new int[flat.Length];
        var start = new int[all.Count];
        for (int l = 0, at = 0; l < all.Count; l++)
        {
            start[l] = at;
            Array.Fill(owner, l, at, all[l].Values.Length);
            at += all[l].Values.Length;
        }
        var keep = Enumerable.Repeat(1f, flat.Length).ToArray();
        var remove = (int)Math.Floor(ratio * flat.Length + 1e-9);
        foreach (var i in SmallestFirst(flat).Take(remove)) keep[i] = 0;
        var result = new Dictionary<string, Tensor>();
        try
        {
            for (var l = 0; l < all.Count; l++)
            {
                var mine = keep.AsSpan(start[l], all[l].Values.Length).ToArray();
                if (Array.TrueForAll(mine, k => k == 0)) mine[LargestIndex(all[l].Values)] = 1;
                result[all[l].Id] = MaskTensor(mine, all[l].Tensor.Shape);
            }
            return new WeightMasks(model, result);
        }
        catch
        {
            foreach (var m in result.Values) m.Dispose();
            throw;
        }
    }

    /// <summary>Multiplies every masked weight by its mask (in place, outside autograd).</summary>
    public void Apply()
    {
        using var noGrad = TorchEngine.NoGrad();
        foreach (var (id, mask) in masks) weights[id].MulInPlace(mask);
    }

    /// <summary>Measured fraction of zero weights of one layer.</summary>
    public static double ZeroFraction(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = TorchEngine.NewDisposeScope();
        return 1 - (double)weight.CountNonZero().ItemLong() / weight.NumEl;
    }

    /// <summary>Measured fraction of zeros over all masked weights together.</summary>
    public double Sparsity()
    {
        using var scope = TorchEngine.NewDisposeScope();
        long zeros = 0, total = 0;
        foreach (var w in weights.Values)
        {
            zeros += w.NumEl - w.CountNonZero().ItemLong();
            total += w.NumEl;
        }
        return total == 0 ? 0 : (double)zeros / total;
    }

    /// <summary>Measured zero fraction of each masked layer's weight.</summary>
    public Dictionary<string, double> LayerSparsity() => weights.ToDictionary(kv => kv.Key, kv => ZeroFraction(kv.Value));

    public void Dispose()
    {
        foreach (var m in masks.Values) m.Dispose();
        masks.Clear();
    }

    private static Tensor Weight(Dictionary<string, Tensor> parameters, string id) =>
        parameters.TryGetValue($"{id}.weight", out var w) ? w : throw new ArgumentException($"layer '{id}' has no weight to prune");

    private static float[] Magnitudes(Tensor weight)
    {
        using var scope = TorchEngine.NewDisposeScope();
        var values = weight.Detach().To(DType.Float32).Contiguous().ToArray<float>();
        for (var i = 0; i < values.Length; i++) values[i] = Math.Abs(values[i]);
        return values;
    }

    private static int[] SmallestFirst(float[] magnitudes)
    {
        var order = Enumerable.Range(0, magnitudes.Length).ToArray();
        var keys = (float[])magnitudes.Clone();
        Array.Sort(keys, order);
        return order;
    }

    private static int LargestIndex(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private static Tensor MaskTensor(float[] keep, long[] shape)
    {
        var t = Tensor.FromArray(keep, shape);
        return t.DetachFromScope();
    }
}
