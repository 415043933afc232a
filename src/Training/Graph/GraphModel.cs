using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Training.Graph;

/// <summary>
/// A trainable libtorch model realised from a <see cref="ModelDescription"/>. Each layer with
/// weights is a child module named by its layer id, so weights are named "&lt;layer id&gt;.weight"
/// and a transform written against the description can find the real tensors.
/// <para>Compression annotations are realised, so training an annotated model is quantization-aware:
/// conv/linear layers with <c>weight_bits</c> compute with fake-quantized weights
/// (<see cref="WeightQuantization"/>, re-quantized from the latent float weights on every pass), and a layer with <c>activation_bits</c> has its output fake-quantized
/// by an <see cref="ActivationQuantizer"/> registered as the child "&lt;layer id&gt;_aq" (its range is the
/// buffer "&lt;layer id&gt;_aq.range"). A layer with <c>sparsity</c> keeps the zero pattern its weights were
/// loaded with (<see cref="SparsityMask"/>), so further training cannot regrow pruned weights.</para>
/// </summary>
public sealed class GraphModel : Module
{
    private readonly List<Step> steps = new();
    private readonly int outputStep;
    private readonly Dictionary<string, ActivationQuantizer> activationQuantizers = new(StringComparer.Ordinal);

    /// <summary>One node to run: its executor, where its inputs come from (-1 = the model input),
    /// which earlier results are no longer needed once it has run, and the quantizer of its output.</summary>
    private sealed record Step(GraphNode Node, LayerExecutor Executor, int[] Inputs, int[] FreeAfter, ActivationQuantizer? Quantizer);

    /// <summary>Builds the model (validating the description) with freshly initialized weights.</summary>
    public GraphModel(ModelDescription description) : this(ModelGraph.Build(description)) { }

    public GraphModel(ModelGraph graph)
    {
        Graph = graph;
        var order = graph.Order;
        var position = new Dictionary<string, int> { [ModelDescription.InputId] = -1 };
        for (var s = 0; s < order.Count; s++) position[order[s].Id] = s;
        var lastUse = new int[order.Count];
        for (var s = 0; s < order.Count; s++)
            foreach (var i in order[s].InputIds)
                if (position[i] >= 0) lastUse[position[i]] = s;
        outputStep = position[graph.Output.Id];
        try
        {
            for (var s = 0; s < order.Count; s++)
            {
                var node = order[s];
                var exec = LayerExecutor.Create(node);
                if (exec.Module is { } m) RegisterModule(node.Id, m);
                var quantizer = CreateActivationQuantizer(node, position);
                var inputs = node.InputIds.Select(i => position[i]).ToArray();
                var free = inputs.Where(i => i >= 0 && i != outputStep && lastUse[i] == s).Distinct().ToArray();
                steps.Add(new Step(node, exec, inputs, free, quantizer));
            }
        }
        catch
        {
            // A layer that cannot be realised: free the weights of those already built.
            Dispose();
            throw;
        }
    }

    /// <summary>The validated graph this model realises.</summary>
    public ModelGraph Graph { get; }

    /// <summary>The activation quantizers, by the id of the layer whose output they quantize.</summary>
    public IReadOnlyDictionary<string, ActivationQuantizer> ActivationQuantizers => activationQuantizers;

    private ActivationQuantizer? CreateActivationQuantizer(GraphNode node, Dictionary<string, int> layerIds)
    {
        var bits = node.Layer.Compression?.ActivationBits;
        if (!ActivationQuantizer.Realises(bits)) return null;
        var name = node.Id + ActivationQuantizer.Suffix;
        if (layerIds.ContainsKey(name))
            throw new NotSupportedException($"layer '{node.Id}': its activation quantizer would be named '{name}', which is another layer's id");
        var quantizer = RegisterModule(name, new ActivationQuantizer(bits!.Value));
        activationQuantizers[node.Id] = quantizer;
        return quantizer;
    }

    /// <summary>
    /// Loads weights like <see cref="Module.LoadStateDict"/> (every weight present, same shapes), except
    /// for activation ranges: a missing one leaves its quantizer uncalibrated (a float model's weights
    /// loaded into a quantized description), and one for a layer this model does not quantize is ignored
    /// (a quantized model's weights loaded into its float description).
    /// </summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict().ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var merged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in state)
            if (own.ContainsKey(name) || !IsActivationRange(name)) merged[name] = tensor;
        foreach (var (id, q) in activationQuantizers)
        {
            var name = $"{id}{ActivationQuantizer.Suffix}.{ActivationQuantizer.RangeName}";
            if (!merged.ContainsKey(name))
            {
                q.ResetRange();
                merged[name] = q.Range;
            }
        }
        LoadStateDict(merged);
        foreach (var step in steps)
            if (step.Executor.Mask is { } mask && step.Executor.Module is { } module)
                mask.Capture(module.NamedParameters().First(p => p.Name == "weight").Tensor);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var step in steps)
                step.Executor.Mask?.Dispose();
        base.Dispose(disposing);
    }

    private static bool IsActivationRange(string name) =>
        name.EndsWith($"{ActivationQuantizer.Suffix}.{ActivationQuantizer.RangeName}", StringComparison.Ordinal);

    /// <summary>Fixes (or releases) every activation range, so training no longer moves them.</summary>
    public void FreezeActivationRanges(bool frozen = true)
    {
        foreach (var q in activationQuantizers.Values) q.Frozen = frozen;
    }

    /// <summary>
    /// Runs the graph. Each intermediate handle is freed after its last consumer (autograd keeps
    /// what it needs); the returned tensor belongs to the current dispose scope.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        var results = new Tensor?[steps.Count];
        var args = new List<Tensor>(4);
        for (var s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            args.Clear();
            foreach (var i in step.Inputs) args.Add(i < 0 ? input : results[i]!);
            results[s] = step.Executor.Run(args);
            if (step.Quantizer is { } quantizer)
            {
                var raw = results[s]!;
                results[s] = quantizer.Forward(raw);
                raw.Dispose();
            }
            foreach (var i in step.FreeAfter) results[i]!.Dispose();
        }
        return results[outputStep]!;
    }

    /// <summary>
    /// The description of the network as realised, read back from the modules: the declared graph
    /// with each layer's sizes taken from its module (so pruned channels appear as real widths).
    /// </summary>
    public ModelDescription Describe()
    {
        var layers = steps.Select(s => Describe(s.Node, s.Executor.Module)).ToList();
        return Graph.Description with { Layers = layers };
    }

    private static Layer Describe(GraphNode node, Module? module)
    {
        var layer = node.Layer with { Inputs = node.InputIds.ToList() };
        // Channel pruning is realised in the module's shape: describe the real width, keep the other annotations.
        var compression = layer.Compression is { } c ? (c with { KeptChannels = null }) : null;
        if (compression == new Compression()) compression = null;
        return (layer, module) switch
        {
            (Conv2dLayer cl, Conv2d m) => cl with
            {
                OutChannels = (int)m.OutChannels, Kernel = (int)m.KernelSize, Stride = (int)m.Stride, Padding = cl.Padding is null ? null : (int)m.Padding,
                Dilation = (int)m.Dilation, Groups = (int)m.Groups, Bias = m.Bias is not null, Compression = compression,
            },
            (LinearLayer ll, Linear m) => ll with { OutFeatures = (int)m.OutFeatures, Bias = m.Bias is not null, Compression = compression },
            (BatchNormLayer bl, BatchNorm2d m) => bl with { Eps = m.Eps, Momentum = m.Momentum, Compression = compression },
            _ => layer with { Compression = compression },
        };
    }
}
