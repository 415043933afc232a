using AutoCompress.Torch;

namespace AutoCompress.Training.Graph;

/// <summary>
/// The fixed zero pattern of a layer annotated with <c>sparsity</c> (unstructured pruning). It is
/// captured from the weights when they are loaded, and the layer then computes with
/// weight × mask, so training the model further (fine-tuning, distillation, quantization-aware
/// training) cannot regrow pruned weights: their gradient is zero and so is every optimizer update.
/// </summary>
public sealed class SparsityMask : IDisposable
{
    private Tensor? mask;

    /// <summary>A mask holder for a layer whose description asks for one, else null.</summary>
    public static SparsityMask? For(AutoCompress.Contracts.Models.Layer layer) =>
        layer.Compression is { Sparsity: > 0 } ? new SparsityMask() : null;

    /// <summary>Whether a pattern has been captured.</summary>
    public bool IsCaptured => mask is not null;

    /// <summary>Takes the zero pattern of <paramref name="weight"/> as the layer's mask.</summary>
    public void Capture(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var noGrad = TorchEngine.NoGrad();
        using var scope = TorchEngine.NewDisposeScope();
        var next = weight.Ne(0).To(weight.DType).DetachFromScope();
        mask?.Dispose();
        mask = next;
    }

    /// <summary>The masked weight (a new tensor in the current scope), or <paramref name="weight"/> itself before a capture.</summary>
    public Tensor Apply(Tensor weight) => mask is null ? weight : weight.Mul(mask);

    public void Dispose()
    {
        mask?.Dispose();
        mask = null;
    }
}
