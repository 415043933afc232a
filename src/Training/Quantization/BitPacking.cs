namespace AutoCompress.Training.Quantization;

/// <summary>
/// Packs signed integers of b bits (2 ≤ b ≤ 24) densely into bytes: value i occupies bits
/// [i·b, (i+1)·b) of a little-endian bit stream (least significant bit first) in two's complement,
/// so n values take ⌈n·b / 8⌉ bytes and the last byte's unused high bits are zero.
/// </summary>
public static class BitPacking
{
    public const int MinBits = 2;
    public const int MaxBits = 24;

    /// <summary>Bytes <paramref name="count"/> values of <paramref name="bits"/> bits take.</summary>
    public static long PackedBytes(long count, int bits)
    {
        CheckBits(bits);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return (checked(count * bits) + 7) / 8;
    }

    /// <summary>Packs <paramref name="values"/>, each of which must lie in [−2^(b−1), 2^(b−1) − 1].</summary>
    public static byte[] Pack(ReadOnlySpan<int> values, int bits)
    {
        var bytes = new byte[PackedBytes(values.Length, bits)];
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        var mask = (1UL << bits) - 1;
        ulong buffer = 0;
        var filled = 0;
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v < lo || v > hi) throw new ArgumentOutOfRangeException(nameof(values), v, $"value {i} does not fit {bits} signed bits");
            buffer |= ((ulong)(long)v & mask) << filled;
            filled += bits;
            while (filled >= 8)
            {
                bytes[at++] = (byte)buffer;
                buffer >>= 8;
                filled -= 8;
            }
        }
        if (filled > 0) bytes[at] = (byte)buffer;
        return bytes;
    }

    /// <summary>Unpacks <paramref name="count"/> values of <paramref name="bits"/> bits (sign-extended).</summary>
    public static int[] Unpack(ReadOnlySpan<byte> bytes, long count, int bits)
    {
        var need = PackedBytes(count, bits);
        if (bytes.Length != need)
            throw new ArgumentException($"{count} values of {bits} bits take {need} bytes, got {bytes.Length}", nameof(bytes));
        var values = new int[count];
        var mask = (1UL << bits) - 1;
        var sign = 1UL << (bits - 1);
        ulong buffer = 0;
        var filled = 0;
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            while (filled < bits)
            {
                buffer |= (ulong)bytes[at++] << filled;
                filled += 8;
            }
            var raw = buffer & mask;
            buffer >>= bits;
            filled -= bits;
            values[i] = (raw & sign) != 0 ? (int)((long)raw - (1L << bits)) : (int)raw;
        }
        return values;
    }

    private static void CheckBits(int bits)
    {
        if (bits is < MinBits or > MaxBits) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"bits must be in {MinBits}..{MaxBits}");
    }
}
