using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

public sealed class BitPackingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(12)]
    public void Values_round_trip_in_ceil_n_b_over_8_bytes(int bits)
    {
        var rng = new Random(bits);
        var max = (1 << (bits - 1)) - 1;
        foreach (var n in new[] { 0, 1, 7, 8, 9, 1001 })
        {
            var values = Enumerable.Range(0, n).Select(_ => rng.Next(-max - 1, max + 1)).ToArray();
            if (n > 2) (values[0], values[1]) = (max, -max - 1); // the extremes
            var packed = BitPacking.Pack(values, bits);
            Assert.Equal((n * bits + 7) / 8, packed.Length);
            Assert.Equal(values, BitPacking.Unpack(packed, n, bits));
        }
    }

    [Fact]
    public void Layout_is_little_endian_lsb_first_twos_complement()
    {
        // 4-bit: 1, -1 (0xF), 7, -8 (0x8) -> bytes 0xF1, 0x87.
        Assert.Equal(new byte[] { 0xF1, 0x87 }, BitPacking.Pack([1, -1, 7, -8], 4));
        // 3-bit: 1, 2, 3 -> bits 001 010 011 -> 0b_11_010_001 = 0xD1, then 0b0 = 0x00.
        Assert.Equal(new byte[] { 0xD1, 0x00 }, BitPacking.Pack([1, 2, 3], 3));
    }

    [Fact]
    public void Out_of_range_values_and_wrong_lengths_fail()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.Pack([2], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.Pack([-3], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.Pack([0], 1));
        Assert.Throws<ArgumentException>(() => BitPacking.Unpack(new byte[2], 5, 4));
    }
}
