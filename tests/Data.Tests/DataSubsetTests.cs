namespace AutoCompress.Data.Tests;

public sealed class DataSubsetTests
{
    internal static ImageDataset Dataset(int count, int channels = 1, int height = 2, int width = 2)
    {
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
        }

        return new ImageDataset(TestFiles.Ramp(count * channels * height * width), labels, channels, height, width, 10, "synthetic");
    }

    [Fact]
    public void AllCoversEveryImageInOrder()
    {
        DataSubset all = Dataset(5).All();

        Assert.Equal([0, 1, 2, 3, 4], all.Indices);
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public void SplitIsDeterministicDisjointAndCovering()
    {
        DataSubset all = Dataset(1000).All();

        var (train, validation) = all.SplitValidation(0.2, seed: 7);
        var (train2, validation2) = all.SplitValidation(0.2, seed: 7);
        var (_, otherValidation) = all.SplitValidation(0.2, seed: 8);

        Assert.Equal(800, train.Count);
        Assert.Equal(200, validation.Count);
        Assert.Equal(train.Indices, train2.Indices);
        Assert.Equal(validation.Indices, validation2.Indices);
        Assert.Empty(train.Indices.Intersect(validation.Indices));
        Assert.Equal(Enumerable.Range(0, 1000), train.Indices.Concat(validation.Indices).Order());
        Assert.NotEqual(validation.Indices, otherValidation.Indices);
        Assert.NotEqual(Enumerable.Range(0, 200), validation.Indices); // actually shuffled, not a prefix
    }

    [Fact]
    public void SplitOfASubsetStaysWithinIt()
    {
        DataSubset odd = Dataset(100).Subset([.. Enumerable.Range(0, 50).Select(i => (2 * i) + 1)]);

        var (train, validation) = odd.SplitValidation(0.3, seed: 1);

        Assert.Equal(15, validation.Count);
        Assert.Equal(odd.Indices, train.Indices.Concat(validation.Indices).Order());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void SplitRejectsFractionsOutsideZeroOne(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset(10).All().SplitValidation(fraction, 0));

        Assert.Equal("fraction", ex.ParamName);
        Assert.Contains("strictly between 0 and 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.9)]
    public void SplitRejectsAnEmptyPart(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset(3).All().SplitValidation(fraction, 0));

        Assert.Contains("both parts must be non-empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubsetRejectsIndicesOutsideTheDataset()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset(3).Subset([0, 3]));

        Assert.Contains("refers to image 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatasetRejectsInconsistentArrays()
    {
        Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[7], new byte[2], 1, 2, 2, 10, "x"));
        Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[4], [10], 1, 2, 2, 10, "x"));
    }
}
