namespace AutoCompress.CostModels.Memory;

/// <summary>How a weight tensor is laid out in storage; see <see cref="WeightStorage.Choose"/> for each format's size.</summary>
public enum WeightFormat
{
    /// <summary>Every element at the layer's weight bit width.</summary>
    Dense,

    /// <summary>One presence bit per element, then the non-zero values packed at the weight bit width.</summary>
    Bitmap,

    /// <summary>Non-zero values, each with an 8-bit relative index (the run of zeros before it), as in Deep Compression.</summary>
    RelativeIndex,
}

/// <summary>The bytes one weight tensor takes in the cheapest of the <see cref="WeightFormat"/>s.</summary>
/// <param name="Format">The format chosen.</param>
/// <param name="Bytes">Bytes of the tensor in that format (per-channel scales, biases excluded).</param>
public readonly record struct WeightStorage(WeightFormat Format, long Bytes)
{
    /// <summary>Bits of one relative index in <see cref="WeightFormat.RelativeIndex"/>: runs of up to 255 zeros fit.</summary>
    public const int RelativeIndexBits = 8;

    /// <summary>
    /// Stores <paramref name="elements"/> weights of <paramref name="bits"/> bits of which a fraction
    /// <paramref name="sparsity"/> is zero, in the smallest format (ties go to the earlier one in
    /// the order dense, bitmap, relative index). With n elements, b bits and sparsity s:
    /// <list type="bullet">
    /// <item>zeros z = min(n, ⌊n·s + 10⁻⁹⌋) (the tolerance absorbs floating-point error, so 0.29 × 100 is 29), non-zeros k = n − z;</item>
    /// <item>dense: ⌈n·b / 8⌉;</item>
    /// <item>bitmap (only when s &gt; 0): ⌈n / 8⌉ + ⌈k·b / 8⌉;</item>
    /// <item>relative index (only when s &gt; 0): entries in row-major order, each a b-bit value and an
    /// 8-bit count of the zeros skipped since the previous entry. A run of g zeros longer than 255
    /// is broken by ⌊g / 256⌋ padding entries (stored zeros with index 255); trailing zeros cost
    /// nothing. Only s is known, so the zeros are taken as spread as evenly as possible over the k
    /// runs: with q = ⌊z / k⌋ and r = z mod k, padding P = r·⌊(q+1) / 256⌋ + (k−r)·⌊q / 256⌋,
    /// and the size is ⌈(k + P)·(b + 8) / 8⌉.</item>
    /// </list>
    /// </summary>
    /// <param name="elements">Number of weight elements, not negative.</param>
    /// <param name="bits">Bits per stored weight, 1 to 32.</param>
    /// <param name="sparsity">Fraction of zero weights, in [0, 1).</param>
    public static WeightStorage Choose(long elements, int bits, double sparsity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 32);
        if (sparsity is < 0 or >= 1 || double.IsNaN(sparsity))
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "sparsity must be in [0, 1)");

        var best = new WeightStorage(WeightFormat.Dense, CeilBytes(elements, bits));
        if (sparsity == 0 || elements == 0) return best;

        var zeros = Math.Min(elements, (long)Math.Floor(elements * sparsity + 1e-9));
        var nonZeros = elements - zeros;
        var bitmap = CeilBytes(elements, 1) + CeilBytes(nonZeros, bits);
        if (bitmap < best.Bytes) best = new WeightStorage(WeightFormat.Bitmap, bitmap);

        long padding = 0;
        if (nonZeros > 0)
        {
            const long span = 1L << RelativeIndexBits;
            long q = zeros / nonZeros, r = zeros % nonZeros;
            padding = r * ((q + 1) / span) + (nonZeros - r) * (q / span);
        }
        var relative = CeilBytes(nonZeros + padding, bits + RelativeIndexBits);
        if (relative < best.Bytes) best = new WeightStorage(WeightFormat.RelativeIndex, relative);
        return best;
    }

    /// <summary>⌈count·bits / 8⌉: bytes of <paramref name="count"/> values packed at <paramref name="bits"/> bits.</summary>
    internal static long CeilBytes(long count, int bits) => (checked(count * bits) + 7) / 8;
}
