namespace AutoCompress.Contracts.Models;

/// <summary>
/// Per-layer annotations for what compression changed. Shape inference, cost models and
/// realisation all read them: a layer with <see cref="KeptChannels"/> has that many outputs.
/// </summary>
public sealed record Compression
{
    /// <summary>Indices of the original output channels (or features) that are kept, ascending; null keeps all.</summary>
    public IReadOnlyList<int>? KeptChannels { get; init; }

    /// <summary>Bits per stored weight; null means 32-bit floating point.</summary>
    public int? WeightBits { get; init; }

    /// <summary>Bits per activation this layer outputs; null means 32-bit floating point.</summary>
    public int? ActivationBits { get; init; }

    /// <summary>Fraction of this layer's weights that are zero (unstructured pruning), in [0, 1).</summary>
    public double Sparsity { get; init; }
}
