using System.Text.Json.Serialization;

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

    /// <summary>
    /// Which weights share a quantization scale when <see cref="WeightBits"/> is set (symmetric signed
    /// quantization, scale = max |w| / (2^(b−1) − 1) over the weights sharing it). The default,
    /// <see cref="Models.WeightGranularity.PerChannel"/>, is left out of the JSON.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public WeightGranularity WeightGranularity { get; init; }

    /// <summary>
    /// Consecutive input weights of one output channel (in the row-major order of the weight tensor)
    /// that share a scale; required with <see cref="Models.WeightGranularity.Group"/>, invalid otherwise.
    /// A channel whose weight count is not a multiple has a shorter last group.
    /// </summary>
    public int? WeightGroupSize { get; init; }

    /// <summary>Bits per activation this layer outputs; null means 32-bit floating point.</summary>
    public int? ActivationBits { get; init; }

    /// <summary>Fraction of this layer's weights that are zero (unstructured pruning), in [0, 1).</summary>
    public double Sparsity { get; init; }
}
