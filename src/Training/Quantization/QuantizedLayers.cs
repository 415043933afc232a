using AutoCompress.Torch;
using AutoCompress.Torch.NN;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// Forward passes of convolution and linear modules with fake-quantized weights, for layers whose
/// description carries <c>weight_bits</c>. The module keeps the latent float weights (what the
/// optimizer updates and what is saved); every forward pass quantizes them afresh from their
/// current values, so training, loading and pruning need no cached copy kept in sync.
/// </summary>
public static class QuantizedLayers
{
    /// <summary>Convolution with <paramref name="spec"/>-quantized weights; bias stays float.</summary>
    public static Tensor Conv2d(Conv2d module, Tensor input, WeightQuantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        using var scope = TorchEngine.NewDisposeScope();
        return module.Forward(input, WeightQuantization.FakeQuantize(module.Weight, spec)).MoveToOuterScope();
    }

    /// <summary>Linear layer with <paramref name="spec"/>-quantized weights; bias stays float.</summary>
    public static Tensor Linear(Linear module, Tensor input, WeightQuantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        using var scope = TorchEngine.NewDisposeScope();
        return module.Forward(input, WeightQuantization.FakeQuantize(module.Weight, spec)).MoveToOuterScope();
    }
}
