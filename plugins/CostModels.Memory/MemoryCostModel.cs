using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.CostModels.Memory;

/// <summary>
/// Memory a model needs at inference: bytes to store its weights at their bit widths and
/// sparsities, and the peak bytes of live activations when its layers run one after another.
/// Shapes come from the <see cref="ModelGraph"/>, so pruned channels
/// (<see cref="Compression.KeptChannels"/>) shrink both. Device-independent.
/// </summary>
/// <remarks>
/// <para><b>Weights</b> (<see cref="LayerWeightBytes"/>): conv2d, linear and batch_norm store
/// parameters, every other layer none. Batch norm is not folded into the preceding convolution.</para>
/// <para><b>Activations</b> (<see cref="CostReport"/> total <see cref="CostMetrics.PeakActivationBytes"/>):
/// the layers run in the graph's <see cref="ModelGraph.Order"/>. The model input (32-bit) is live
/// from the start. Before a layer runs, its output buffer is allocated while its inputs are still
/// live; after it runs, every buffer whose last reader it was is freed. The model's output is never
/// freed. A buffer of E elements per sample produced by a layer with activation bit width a
/// (<see cref="Compression.ActivationBits"/>, default 32) takes ⌈B·E·a / 8⌉ bytes for batch size B.
/// identity, dropout and flatten layers allocate nothing: their output is their input's buffer
/// (their own activation bit width is ignored), which then stays live until the alias's last reader;
/// zero layers allocate a buffer like any other layer. The peak is the largest live total over
/// all steps, and it covers the whole batch of <see cref="CostContext.BatchSize"/>.</para>
/// <para>Each layer's <see cref="LayerCost"/> holds its weight bytes and the live bytes while it runs.</para>
/// </remarks>
public sealed class MemoryCostModel : CostModel
{
    /// <summary>The id this cost model is registered under: <c>memory</c>.</summary>
    public const string ModelId = "memory";

    /// <summary>Bit width of biases, batch-norm parameters, per-channel scales and the model input.</summary>
    public const int FloatBits = 32;

    /// <inheritdoc />
    public override string Id => ModelId;

    /// <summary><see cref="CostMetrics.WeightBytes"/> and <see cref="CostMetrics.PeakActivationBytes"/> (for the whole batch).</summary>
    public override IReadOnlyList<string> Metrics { get; } = [CostMetrics.WeightBytes, CostMetrics.PeakActivationBytes];

    /// <summary>
    /// Bytes to store one layer's parameters, with C the layer's output channels (features):
    /// <list type="bullet">
    /// <item>conv2d and linear: the weight tensor of n elements (conv: C·(C_in / groups)·k², linear:
    /// C_in·C) in the cheapest format of <see cref="WeightStorage.Choose"/> at the layer's
    /// <see cref="Compression.WeightBits"/> (default 32) and <see cref="Compression.Sparsity"/>;
    /// plus 4·C for one float32 scale per output channel when the weights have fewer than 32 bits
    /// (symmetric per-channel quantization, no zero point); plus 4·C for a float32 bias when the
    /// layer has one;</item>
    /// <item>batch_norm over C channels: float32 running mean and variance, and γ and β when affine:
    /// 16·C bytes (8·C without affine). Not folded into the convolution; its annotations are ignored;</item>
    /// <item>any other layer: 0.</item>
    /// </list>
    /// </summary>
    /// <param name="node">A node of a validated graph.</param>
    public static long LayerWeightBytes(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var inC = (long)node.InputShape.Channels;
        var outC = (long)node.OutputShape.Channels;
        switch (node.Layer)
        {
            case Conv2dLayer c:
                return Weights(c, checked(outC * (inC / c.Groups) * c.Kernel * c.Kernel), outC, c.Bias);
            case LinearLayer l:
                return Weights(l, checked(inC * outC), outC, l.Bias);
            case BatchNormLayer bn:
                return WeightStorage.CeilBytes((bn.Affine ? 4 : 2) * inC, FloatBits);
            default:
                return 0;
        }
    }

    private static long Weights(Layer layer, long elements, long outChannels, bool bias)
    {
        var bits = layer.Compression?.WeightBits ?? FloatBits;
        var bytes = WeightStorage.Choose(elements, bits, layer.Compression?.Sparsity ?? 0).Bytes;
        if (bits < FloatBits) bytes += WeightStorage.CeilBytes(outChannels, FloatBits);
        if (bias) bytes += WeightStorage.CeilBytes(outChannels, FloatBits);
        return bytes;
    }

    /// <summary>Whether a layer's output is its input's buffer rather than a new one.</summary>
    private static bool Aliases(Layer layer) => layer is IdentityLayer or DropoutLayer or FlattenLayer;

    /// <inheritdoc />
    protected override CostReport Compute(ModelGraph model, CostContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        if (context.BatchSize <= 0) throw new CostModelException($"batch size {context.BatchSize} must be positive");
        var order = model.Order;

        // Which buffer each tensor lives in, and each buffer's size.
        const string input = ModelDescription.InputId;
        var bufferOf = new Dictionary<string, string> { [input] = input };
        var size = new Dictionary<string, long> { [input] = ActivationBytes(model.InputShape, FloatBits, context.BatchSize) };
        foreach (var node in order)
        {
            if (Aliases(node.Layer))
            {
                bufferOf[node.Id] = bufferOf[node.InputIds[0]];
            }
            else
            {
                bufferOf[node.Id] = node.Id;
                size[node.Id] = ActivationBytes(node.OutputShape, node.Layer.Compression?.ActivationBits ?? FloatBits, context.BatchSize);
            }
        }

        // The step after which each buffer is freed: its last reader's (or its producer's, if nobody reads it).
        var lastUse = new Dictionary<string, int>();
        for (var step = 0; step < order.Count; step++)
        {
            lastUse[bufferOf[order[step].Id]] = step;
            foreach (var src in order[step].InputIds) lastUse[bufferOf[src]] = step;
        }
        lastUse.Remove(bufferOf[model.Output.Id]);
        var freedAfter = lastUse.ToLookup(kv => kv.Value, kv => kv.Key);

        long live = size[input], peak = 0, totalWeights = 0;
        var layers = new List<LayerCost>(order.Count);
        for (var step = 0; step < order.Count; step++)
        {
            var node = order[step];
            if (!Aliases(node.Layer)) live += size[node.Id];
            peak = Math.Max(peak, live);
            var weights = LayerWeightBytes(node);
            totalWeights = checked(totalWeights + weights);
            layers.Add(new LayerCost(node.Id, Values(weights, live)));
            foreach (var buffer in freedAfter[step]) live -= size[buffer];
        }
        return new CostReport(Id, Values(totalWeights, peak), layers);
    }

    private static long ActivationBytes(FeatureShape shape, int bits, int batchSize) =>
        WeightStorage.CeilBytes(checked(shape.Elements * batchSize), bits);

    private static Dictionary<string, double> Values(long weightBytes, long activationBytes) =>
        new() { [CostMetrics.WeightBytes] = weightBytes, [CostMetrics.PeakActivationBytes] = activationBytes };
}
