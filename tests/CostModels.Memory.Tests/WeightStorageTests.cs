using AutoCompress.CostModels.Memory;

namespace AutoCompress.CostModels.Memory.Tests;

public class WeightStorageTests
{
    [Theory]
    // n, bits: dense ⌈n·b/8⌉
    [InlineData(1000, 32, 4000)]
    [InlineData(1000, 8, 1000)]
    [InlineData(15, 4, 8)]     // 60 bits -> 7.5 -> 8 bytes
    [InlineData(15, 3, 6)]     // 45 bits -> 5.625 -> 6 bytes
    [InlineData(0, 8, 0)]
    public void Dense_weights_take_the_bits_rounded_up_to_whole_bytes(long n, int bits, long bytes) =>
        Assert.Equal(new WeightStorage(WeightFormat.Dense, bytes), WeightStorage.Choose(n, bits, 0));

    [Fact]
    public void Half_sparse_float_weights_use_the_bitmap()
    {
        // 500 non-zeros: bitmap 1000/8 + 500·4 = 2125; relative 500·(32+8)/8 = 2500; dense 4000.
        Assert.Equal(new WeightStorage(WeightFormat.Bitmap, 2125), WeightStorage.Choose(1000, 32, 0.5));
        // 8-bit: bitmap 125 + 500 = 625; relative 500·2 = 1000; dense 1000.
        Assert.Equal(new WeightStorage(WeightFormat.Bitmap, 625), WeightStorage.Choose(1000, 8, 0.5));
    }

    [Fact]
    public void Ninety_percent_sparse_weights_use_relative_indices()
    {
        // 100 non-zeros, runs of 9 zeros (no padding): relative 100·40/8 = 500; bitmap 125 + 400 = 525.
        Assert.Equal(new WeightStorage(WeightFormat.RelativeIndex, 500), WeightStorage.Choose(1000, 32, 0.9));
        // 8-bit: relative 100·16/8 = 200; bitmap 125 + 100 = 225.
        Assert.Equal(new WeightStorage(WeightFormat.RelativeIndex, 200), WeightStorage.Choose(1000, 8, 0.9));
    }

    [Fact]
    public void Runs_of_zeros_longer_than_255_cost_padding_entries()
    {
        // 100 non-zeros, 99,900 zeros: runs of 999 = 3 paddings each -> 400 entries · 5 bytes.
        Assert.Equal(new WeightStorage(WeightFormat.RelativeIndex, 2000), WeightStorage.Choose(100_000, 32, 0.999));
        // 3 non-zeros, 997 zeros: runs 333, 332, 332 -> 1 padding each -> 6 entries · 5 bytes.
        Assert.Equal(new WeightStorage(WeightFormat.RelativeIndex, 30), WeightStorage.Choose(1000, 32, 0.997));
    }

    [Fact]
    public void Slight_sparsity_of_narrow_weights_stays_dense()
    {
        // 1-bit: dense 125; bitmap 125 + ⌈900/8⌉ = 238; relative ⌈900·9/8⌉ = 1013.
        Assert.Equal(new WeightStorage(WeightFormat.Dense, 125), WeightStorage.Choose(1000, 1, 0.1));
    }

    [Fact]
    public void Zero_count_absorbs_floating_point_error()
    {
        // 100 · 0.29 is 28.999999999999996 in doubles; 29 zeros leave 71 non-zeros: 13 + 284 = 297.
        Assert.Equal(new WeightStorage(WeightFormat.Bitmap, 297), WeightStorage.Choose(100, 32, 0.29));
    }

    [Fact]
    public void Out_of_range_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightStorage.Choose(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightStorage.Choose(10, 33, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightStorage.Choose(10, 8, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightStorage.Choose(-1, 8, 0));
    }
}
