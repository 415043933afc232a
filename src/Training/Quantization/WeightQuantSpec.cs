using AutoCompress.Contracts.Models;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// How one layer's weights are quantized: symmetric signed integers of <see cref="Bits"/> bits in
/// [−<see cref="QMax"/>, <see cref="QMax"/>] (no −2^(b−1), so the grid is symmetric around an exact
/// zero and needs no zero point), times a float32 scale shared per tensor, per output channel or per
/// group. It is read from a layer's <see cref="Compression"/> annotation, so the realised model,
/// the packed file and the cost models all follow the same description.
/// </summary>
public sealed record WeightQuantSpec
{
    /// <summary>Fewest bits: symmetric signed quantization needs a sign and one magnitude level.</summary>
    public const int MinBits = 2;

    /// <summary>
    /// Most bits that are fake-quantized: a float32 carries 24 significant bits, so wider integers
    /// would not change the weights; annotations of 25 to 32 bits leave them float.
    /// </summary>
    public const int MaxBits = 24;

    public WeightQuantSpec(int bits, WeightGranularity granularity = WeightGranularity.PerChannel, int? groupSize = null)
    {
        if (bits is < MinBits or > MaxBits) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"weight bits must be in {MinBits}..{MaxBits}");
        if (!Enum.IsDefined(granularity)) throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity");
        if (granularity == WeightGranularity.Group && groupSize is not > 0)
            throw new ArgumentException($"group granularity needs a positive group size, got {groupSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}", nameof(groupSize));
        Bits = bits;
        Granularity = granularity;
        GroupSize = granularity == WeightGranularity.Group ? groupSize : null;
    }

    public int Bits { get; }
    public WeightGranularity Granularity { get; }

    /// <summary>Weights per scale with <see cref="WeightGranularity.Group"/>; null otherwise.</summary>
    public int? GroupSize { get; }

    /// <summary>The largest integer magnitude, 2^(b−1) − 1.</summary>
    public int QMax => (1 << (Bits - 1)) - 1;

    /// <summary>
    /// The weight quantization <paramref name="layer"/>'s annotation asks for, or null when its weights
    /// stay float (no conv/linear, no <see cref="Compression.WeightBits"/>, or more than <see cref="MaxBits"/> bits).
    /// </summary>
    /// <exception cref="NotSupportedException">1-bit weights, which symmetric quantization cannot represent.</exception>
    public static WeightQuantSpec? Of(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is not (Conv2dLayer or LinearLayer) || layer.Compression is not { WeightBits: { } bits } c || bits > MaxBits) return null;
        if (bits < MinBits)
            throw new NotSupportedException($"layer '{layer.Id}': weight_bits {bits} cannot be realised; symmetric signed quantization needs at least {MinBits} bits");
        return new WeightQuantSpec(bits, c.WeightGranularity, c.WeightGroupSize);
    }

    public override string ToString() => Granularity switch
    {
        WeightGranularity.Group => $"int{Bits} group of {GroupSize}",
        WeightGranularity.PerTensor => $"int{Bits} per tensor",
        _ => $"int{Bits} per channel",
    };
}
