using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Removes channels for real: rewrites the description with the new widths (as
/// <see cref="GraphModel.Describe"/> would describe the smaller model) and index-selects every
/// channel-indexed tensor, so the result is a smaller dense network with fewer MACs, not a masked one.
/// </summary>
public static class ChannelSurgery
{
    /// <summary>The description of the pruned network: real widths, depthwise groups updated, no kept-channel annotations.</summary>
    public static ModelDescription Describe(ChannelPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var deps = plan.Dependencies;
        var layers = deps.Description.Layers.Select(layer =>
        {
            var compression = layer.Compression is { } c ? c with { KeptChannels = null } : null;
            if (compression == new Compression()) compression = null;
            var width = plan.KeptWidth(deps.OutputLayout(layer.Id));
            return (layer, deps.RoleOf(layer.Id)) switch
            {
                (Conv2dLayer conv, ChannelRole.Depthwise) => conv with { OutChannels = width, Groups = width, Compression = compression },
                (Conv2dLayer conv, _) => conv with { OutChannels = width, Compression = compression },
                (LinearLayer lin, _) => lin with { OutFeatures = width, Compression = compression },
                _ => layer,
            };
        }).ToList();
        return deps.Description with { Layers = layers };
    }

    /// <summary>
    /// The pruned copies of a model's tensors (named "&lt;layer id&gt;.&lt;tensor&gt;", as a
    /// <see cref="GraphModel"/> names them). Every returned tensor is new and belongs to the current
    /// dispose scope; tensors of layers without channels, and tensors that belong to no layer (such as an
    /// activation quantizer's per-tensor range), are cloned unchanged.
    /// </summary>
    public static Dictionary<string, Tensor> CutWeights(ChannelPlan plan, IEnumerable<(string Name, Tensor Tensor)> state)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        var deps = plan.Dependencies;
        var layers = deps.Description.Layers.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, Tensor>();
        using var noGrad = TorchEngine.NoGrad();
        foreach (var (name, tensor) in state)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0) throw new ArgumentException($"tensor '{name}' is not named '<layer id>.<tensor>'");
            var (layerId, local) = (name[..dot], name[(dot + 1)..]);
            if (!layers.Contains(layerId))
            {
                // Not a layer's own tensor (e.g. the per-tensor range of an activation quantizer "<id>_aq").
                result[name] = tensor.Clone();
                continue;
            }
            var rows = plan.KeptIndices(deps.OutputLayout(layerId));
            var columns = deps.InputLayout(layerId) is { } input ? plan.KeptIndices(input) : null;
            var cut = (deps.RoleOf(layerId), local) switch
            {
                (ChannelRole.Producer, "weight") => Select(Select(tensor, 0, rows), 1, columns),
                (ChannelRole.Producer or ChannelRole.Depthwise, "bias") => Select(tensor, 0, rows),
                (ChannelRole.Depthwise, "weight") => Select(tensor, 0, rows),
                (ChannelRole.BatchNorm, "weight" or "bias" or "running_mean" or "running_var") => Select(tensor, 0, rows),
                _ => tensor.Clone(),
            };
            result[name] = cut;
        }
        return result;
    }

    private static Tensor Select(Tensor t, int dim, long[]? indices)
    {
        if (indices is null) return t.Clone();
        using var index = Tensor.FromArray(indices);
        index.DetachFromScope();
        return t.IndexSelect(dim, index).Contiguous();
    }

    /// <summary>
    /// Builds the pruned network from <paramref name="model"/> (which must realise the analysed
    /// description) with its weights cut. The caller owns the returned model; <paramref name="model"/> is unchanged.
    /// </summary>
    public static GraphModel Apply(GraphModel model, ChannelPlan plan)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        var pruned = new GraphModel(Describe(plan));
        try
        {
            using var scope = TorchEngine.NewDisposeScope();
            pruned.LoadStateDict(CutWeights(plan, model.StateDict()));
            if (!model.Training) pruned.Eval();
            return pruned;
        }
        catch
        {
            pruned.Dispose();
            throw;
        }
    }
}
