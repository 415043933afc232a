namespace AutoCompress.Data.Tests;

public sealed class Cifar10Tests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void LoadFileReadsRecordsExactly()
    {
        string path = Write("test_batch.bin", TestFiles.Cifar([3, 9, 0]));

        ImageDataset data = Cifar10.LoadFile(path);

        Assert.Equal(3, data.Count);
        Assert.Equal((3, 32, 32, 10), (data.Channels, data.Height, data.Width, data.NumClasses));
        Assert.Equal(new byte[] { 3, 9, 0 }, data.Labels);
        for (int r = 0; r < 3; r++)
        {
            ReadOnlySpan<byte> image = data.GetImage(r);
            for (int p = 0; p < 3072; p++)
            {
                Assert.Equal(TestFiles.CifarPixel(r, p), image[p]);
            }
        }
    }

    [Fact]
    public void LoadTrainConcatenatesTheFiveBatchesInOrder()
    {
        for (int b = 1; b <= 5; b++)
        {
            Write($"data_batch_{b}.bin", TestFiles.Cifar([(byte)b, (byte)(b - 1)], seed: b));
        }

        Write("test_batch.bin", TestFiles.Cifar([7]));

        ImageDataset train = Cifar10.Load(_dir.Path, train: true);
        ImageDataset test = Cifar10.Load(_dir.Path, train: false);

        Assert.Equal(new byte[] { 1, 0, 2, 1, 3, 2, 4, 3, 5, 4 }, train.Labels);
        Assert.Equal(TestFiles.CifarPixel(1, 100, seed: 4), train.GetImage(7)[100]);
        Assert.Equal(new byte[] { 7 }, test.Labels);
    }

    [Fact]
    public void LoadFindsTheArchiveSubdirectory()
    {
        Directory.CreateDirectory(_dir.File(Cifar10.ArchiveSubdirectory));
        Write(Path.Combine(Cifar10.ArchiveSubdirectory, "test_batch.bin"), TestFiles.Cifar([1, 2]));

        Assert.Equal(2, Cifar10.Load(_dir.Path, train: false).Count);
    }

    [Fact]
    public void SizeNotAMultipleOfTheRecordSizeIsRejected()
    {
        string path = Write("data_batch_1.bin", TestFiles.Cifar([1, 2])[..6000]);

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.LoadFile(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains("data_batch_1.bin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("6000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3073-byte record", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        string path = Write("data_batch_2.bin", []);

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.LoadFile(path));

        Assert.Contains("data_batch_2.bin: file is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelAboveNineIsRejected()
    {
        string path = Write("test_batch.bin", TestFiles.Cifar([4, 10]));

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.LoadFile(path));

        Assert.Contains("test_batch.bin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("record 1 has label 10, expected 0..9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFilesAreNamed()
    {
        Write("data_batch_1.bin", TestFiles.Cifar([1]));
        Write("data_batch_2.bin", TestFiles.Cifar([1]));
        Write("data_batch_4.bin", TestFiles.Cifar([1]));

        var ex = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(_dir.Path, train: true));

        Assert.Contains(_dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("data_batch_3.bin, data_batch_5.bin", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("data_batch_1.bin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("test_batch.bin", Assert.Throws<FileNotFoundException>(() => Cifar10.Load(_dir.Path, train: false)).Message, StringComparison.Ordinal);
        Assert.Contains("nothing.bin", Assert.Throws<FileNotFoundException>(() => Cifar10.LoadFile(_dir.File("nothing.bin"))).Message, StringComparison.Ordinal);
    }
}
