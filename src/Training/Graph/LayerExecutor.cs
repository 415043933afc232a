using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Training.Graph;

/// <summary>
/// Runs one layer of a model description: the module holding its weights (if any) and the
/// function applied to its inputs. <see cref="GraphModel"/> executes every node through one of
/// these, and the latency profiler times the same executors, so a lookup table measures exactly
/// the code path a realised model runs. A conv/linear layer with <c>weight_bits</c> computes with
/// fake-quantized weights, and one with <c>sparsity</c> with its weights masked by the zero pattern they
/// were loaded with (<see cref="SparsityMask"/>).
/// </summary>
public sealed class LayerExecutor
{
    private readonly Func<IReadOnlyList<Tensor>, Tensor> run;

    private LayerExecutor(Module? module, Func<IReadOnlyList<Tensor>, Tensor> run, SparsityMask? mask = null) =>
        (Module, this.run, Mask) = (module, run, mask);

    /// <summary>The module owning the layer's parameters and buffers, or null for parameter-free ops.</summary>
    public Module? Module { get; }

    /// <summary>The fixed zero pattern of a layer annotated with sparsity, or null.</summary>
    public SparsityMask? Mask { get; }

    public Tensor Run(IReadOnlyList<Tensor> inputs) => run(inputs);

    /// <summary>Creates the executor for <paramref name="node"/> with freshly initialized weights.</summary>
    public static LayerExecutor Create(GraphNode node)
    {
        var x = node.InputShape;
        switch (node.Layer)
        {
            case Conv2dLayer c:
            {
                var q = WeightQuantSpec.Of(c);
                var mask = SparsityMask.For(c);
                var m = new Conv2d(x.Channels, node.OutputShape.Channels, c.Kernel, c.Stride, c.EffectivePadding, c.Dilation, c.Groups, c.Bias);
                if (q is null && mask is null) return new LayerExecutor(m, i => m.Forward(i[0]));
                return new LayerExecutor(m, i => WithWeight(m.Weight, q, mask, w => m.Forward(i[0], w)), mask);
            }
            case LinearLayer l:
            {
                var q = WeightQuantSpec.Of(l);
                var mask = SparsityMask.For(l);
                var m = new Linear(x.Channels, node.OutputShape.Channels, l.Bias);
                if (q is null && mask is null) return new LayerExecutor(m, i => m.Forward(i[0]));
                return new LayerExecutor(m, i => WithWeight(m.Weight, q, mask, w => m.Forward(i[0], w)), mask);
            }
            case BatchNormLayer bn:
            {
                if (!bn.Affine) throw new NotSupportedException($"layer '{node.Id}': batch norm without affine parameters is not realisable yet");
                var m = new BatchNorm2d(x.Channels, bn.Eps, bn.Momentum);
                return new LayerExecutor(m, i => m.Forward(i[0]));
            }
            case ActivationLayer a:
            {
                var m = a.Function switch
                {
                    ActivationFunction.Relu => Activation.ReLU(),
                    ActivationFunction.Relu6 => Activation.ReLU6(),
                    ActivationFunction.Hardswish => Activation.Hardswish(),
                    ActivationFunction.Sigmoid => Activation.Sigmoid(),
                    ActivationFunction.Tanh => Activation.Tanh(),
                    ActivationFunction.Silu => Activation.SiLU(),
                    _ => throw new NotSupportedException($"layer '{node.Id}': activation {a.Function}"),
                };
                return new LayerExecutor(m, i => m.Forward(i[0]));
            }
            case PoolLayer p:
            {
                var m = new Pool2d(p.Kind == PoolKind.Max, p.Kernel, p.EffectiveStride, p.Padding, p.CountIncludePad);
                return new LayerExecutor(m, i => m.Forward(i[0]));
            }
            case AdaptiveAvgPoolLayer ap:
            {
                var m = new AdaptiveAvgPool2d(ap.OutputSize);
                return new LayerExecutor(m, i => m.Forward(i[0]));
            }
            case DropoutLayer d:
            {
                var m = new Dropout(d.P);
                return new LayerExecutor(m, i => m.Forward(i[0]));
            }
            case FlattenLayer:
                return new LayerExecutor(null, i => i[0].Flatten(1));
            case IdentityLayer:
                // A new handle, so the graph can free each name on its own schedule.
                return new LayerExecutor(null, i => i[0].Alias());
            case ZeroLayer:
                // As NAS-Bench-201's Zero op: x * 0 (keeps the graph connected for autograd).
                return new LayerExecutor(null, i => i[0].Mul(0));
            case AddLayer:
                return new LayerExecutor(null, i =>
                {
                    var sum = i[0].Add(i[1]);
                    for (var k = 2; k < i.Count; k++) sum = sum.Add(i[k]);
                    return sum;
                });
            case ConcatLayer:
                return new LayerExecutor(null, i => Tensor.Cat(i, 1));
            default:
                throw new NotSupportedException($"layer '{node.Id}': no realisation for {node.Layer.GetType().Name}");
        }
    }

    // The layer's forward pass with its effective weight: sparsity mask first, then fake quantization
    // (zeros quantize to zero, so a pruned and quantized layer stays as sparse as its mask).
    private static Tensor WithWeight(Tensor weight, WeightQuantSpec? quant, SparsityMask? mask, Func<Tensor, Tensor> forward)
    {
        using var scope = TorchEngine.NewDisposeScope();
        var w = mask?.Apply(weight) ?? weight;
        if (quant is not null) w = WeightQuantization.FakeQuantize(w, quant);
        return forward(w).MoveToOuterScope();
    }
}
