using System.Globalization;
using AutoCompress.Contracts.Models;

namespace AutoCompress.CostModels.Latency;

/// <summary>
/// Lookup-table keys in the style of ProxylessNAS and FBNet: the op, its input and output shapes
/// as HxWxC, and the attributes that change its cost, e.g.
/// <c>conv2d-input:32x32x16-output:32x32x16-kernel:3-stride:1-pad:1-dilation:1-groups:1-bias:0</c>.
/// Two layers with the same key cost the same on a device.
/// </summary>
public static class LatencyKey
{
    private static string S(FeatureShape s) => s.Flat
        ? s.Channels.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{s.Height}x{s.Width}x{s.Channels}");

    private static int B(bool b) => b ? 1 : 0;

    public static string For(GraphNode node)
    {
        var i = S(node.InputShape);
        var o = S(node.OutputShape);
        return node.Layer switch
        {
            Conv2dLayer c => Inv($"conv2d-input:{i}-output:{o}-kernel:{c.Kernel}-stride:{c.Stride}-pad:{c.EffectivePadding}-dilation:{c.Dilation}-groups:{c.Groups}-bias:{B(c.Bias)}"),
            LinearLayer l => Inv($"linear-input:{i}-output:{o}-bias:{B(l.Bias)}"),
            BatchNormLayer => $"batch_norm-input:{i}",
            ActivationLayer a => $"{a.Function.ToString().ToLowerInvariant()}-input:{i}",
            PoolLayer p => Inv($"{(p.Kind == PoolKind.Max ? "max" : "avg")}_pool-input:{i}-output:{o}-kernel:{p.Kernel}-stride:{p.EffectiveStride}-pad:{p.Padding}-cip:{B(p.CountIncludePad)}"),
            AdaptiveAvgPoolLayer => $"adaptive_avg_pool-input:{i}-output:{o}",
            AddLayer => Inv($"add-input:{i}-n:{node.InputShapes.Count}"),
            ConcatLayer => $"concat-input:{string.Join("+", node.InputShapes.Select(S))}",
            IdentityLayer => $"identity-input:{i}",
            ZeroLayer => $"zero-input:{i}",
            FlattenLayer => $"flatten-input:{i}",
            DropoutLayer => $"dropout-input:{i}",
            _ => throw new NotSupportedException($"layer '{node.Id}': no latency key for {node.Layer.GetType().Name}"),
        };
    }

    /// <summary>The key without its input/output sizes: layers of one family differ only in size.</summary>
    public static string Family(string key) =>
        string.Join("-", key.Split('-').Where(p => !p.StartsWith("input:", StringComparison.Ordinal) && !p.StartsWith("output:", StringComparison.Ordinal)));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
