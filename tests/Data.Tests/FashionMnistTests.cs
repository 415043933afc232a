namespace AutoCompress.Data.Tests;

public sealed class FashionMnistTests
{
    [FashionMnistFact]
    public void RealDatasetLoadsFromTheDefaultDirectory()
    {
        ImageDataset train = FashionMnist.Load(null, train: true);
        ImageDataset test = FashionMnist.Load(FashionMnist.DefaultDirectory, train: false);

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        foreach (ImageDataset data in new[] { train, test })
        {
            Assert.Equal((1, 28, 28, 10), (data.Channels, data.Height, data.Width, data.NumClasses));
            Assert.Equal(data.Count * 784, data.Pixels.Length);
            var perClass = new int[10];
            foreach (byte label in data.Labels)
            {
                perClass[label]++;
            }

            Assert.All(perClass, n => Assert.Equal(data.Count / 10, n)); // Fashion-MNIST is exactly balanced.
        }

        Assert.Contains("train", train.Source, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.DefaultDirectory, train.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsRawAndGzipFileNames()
    {
        using var dir = new TempDir();
        TestFiles.Write(dir.File("train-images-idx3-ubyte"), TestFiles.Idx(0x803, [2, 28, 28], TestFiles.Ramp(1568)));
        TestFiles.Write(dir.File("train-labels-idx1-ubyte"), TestFiles.Idx(0x801, [2], [9, 0]));
        TestFiles.Write(dir.File("t10k-images-idx3-ubyte.gz"), TestFiles.Idx(0x803, [1, 28, 28], new byte[784]), gzip: true);
        TestFiles.Write(dir.File("t10k-labels-idx1-ubyte.gz"), TestFiles.Idx(0x801, [1], [5]), gzip: true);

        Assert.True(FashionMnist.IsAvailable(dir.Path));
        Assert.Equal(new byte[] { 9, 0 }, FashionMnist.Load(dir.Path, train: true).Labels);
        Assert.Equal(new byte[] { 5 }, FashionMnist.Load(dir.Path, train: false).Labels);
    }

    [Fact]
    public void MissingFilesExplainHowToInstallThem()
    {
        using var dir = new TempDir();
        TestFiles.Write(dir.File("t10k-images-idx3-ubyte.gz"), TestFiles.Idx(0x803, [1, 28, 28], new byte[784]), gzip: true);

        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir.Path, train: false));

        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-images-idx3-ubyte", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing: t10k-labels-idx1-ubyte", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message, StringComparison.Ordinal);
        Assert.False(FashionMnist.IsAvailable(dir.Path));

        string nowhere = Path.Combine(dir.Path, "nowhere");
        var missingDir = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(nowhere, train: true));
        Assert.Contains($"directory {nowhere} does not exist", missingDir.Message, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte", missingDir.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassNamesAreTheTenFashionMnistClasses()
    {
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        Assert.Equal("T-shirt/top", FashionMnist.ClassNames[0]);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
        Assert.Equal(10, Cifar10.ClassNames.Count);
        Assert.Equal("truck", Cifar10.ClassNames[9]);
    }
}
