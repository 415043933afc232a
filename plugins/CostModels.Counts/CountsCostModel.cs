using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.CostModels.Counts;

/// <summary>
/// Exact multiply-accumulate and parameter counts, with NAS-Bench-201's conventions: only conv2d
/// and linear layers cost MACs (a bias add counting as one MAC per output value); parameters are
/// conv and linear weights and biases plus batch-norm affine weights (running statistics are
/// buffers). Counts follow the shapes of the <see cref="ModelGraph"/>, so pruned channels
/// (<see cref="Compression.KeptChannels"/>) shrink them; sparsity and bit widths do not.
/// Device-independent.
/// </summary>
public sealed class CountsCostModel : CostModel
{
    /// <summary>The id this cost model is registered under: <c>counts</c>.</summary>
    public const string ModelId = "counts";

    /// <inheritdoc />
    public override string Id => ModelId;

    /// <summary><see cref="CostMetrics.Macs"/> (per batch of <see cref="CostContext.BatchSize"/>) and <see cref="CostMetrics.Params"/>.</summary>
    public override IReadOnlyList<string> Metrics { get; } = [CostMetrics.Macs, CostMetrics.Params];

    /// <summary>
    /// MACs and parameters of one layer for a single sample, as exact integers; both are zero for
    /// layers that compute nothing counted here (pooling, activations, adds, ...).
    /// </summary>
    /// <param name="node">A node of a validated graph, whose shapes the counts are computed from.</param>
    public static (long Macs, long Params) Count(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var input = node.InputShape;
        var output = node.OutputShape;
        switch (node.Layer)
        {
            case Conv2dLayer c:
            {
                long weights = (long)output.Channels * (input.Channels / c.Groups) * c.Kernel * c.Kernel;
                long bias = c.Bias ? output.Channels : 0;
                long positions = (long)output.Height * output.Width;
                return (checked(positions * (weights + bias)), weights + bias);
            }
            case LinearLayer l:
            {
                long weights = (long)input.Channels * output.Channels;
                long bias = l.Bias ? output.Channels : 0;
                return (weights + bias, weights + bias);
            }
            case BatchNormLayer bn:
                return (0, bn.Affine ? 2L * input.Channels : 0);
            default:
                return (0, 0);
        }
    }

    /// <inheritdoc />
    protected override CostReport Compute(ModelGraph model, CostContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        if (context.BatchSize <= 0) throw new CostModelException($"batch size {context.BatchSize} must be positive");
        long totalMacs = 0, totalParams = 0;
        var layers = new List<LayerCost>();
        foreach (var node in model.Order)
        {
            var (macs, parameters) = Count(node);
            if (macs == 0 && parameters == 0) continue;
            macs = checked(macs * context.BatchSize);
            totalMacs = checked(totalMacs + macs);
            totalParams = checked(totalParams + parameters);
            layers.Add(new LayerCost(node.Id, Values(macs, parameters)));
        }
        return new CostReport(Id, Values(totalMacs, totalParams), layers);
    }

    private static Dictionary<string, double> Values(long macs, long parameters) =>
        new() { [CostMetrics.Macs] = macs, [CostMetrics.Params] = parameters };
}
