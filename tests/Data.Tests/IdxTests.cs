namespace AutoCompress.Data.Tests;

public sealed class IdxTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes 3 images of 2x4 (pixels 10, 11, ...) and labels 2, 0, 9; returns the two paths.</summary>
    private (string Images, string Labels) WriteValid(bool gzipImages = false, bool gzipLabels = false, string imagesName = "images", string labelsName = "labels")
    {
        string images = _dir.File(imagesName), labels = _dir.File(labelsName);
        TestFiles.Write(images, TestFiles.Idx(0x803, [3, 2, 4], TestFiles.Ramp(24, 10)), gzipImages);
        TestFiles.Write(labels, TestFiles.Idx(0x801, [3], [2, 0, 9]), gzipLabels);
        return (images, labels);
    }

    private string WriteImages(byte[] bytes, string name = "bad-images", bool gzip = false)
    {
        string path = _dir.File(name);
        TestFiles.Write(path, bytes, gzip);
        return path;
    }

    private static DataFormatException AssertFormatError(string path, Action load, params string[] fragments)
    {
        var ex = Assert.Throws<DataFormatException>(load);
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(Path.GetFileName(path), ex.Message, StringComparison.Ordinal);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }

        return ex;
    }

    [Theory]
    [InlineData(false, false, "images", "labels")]
    [InlineData(true, true, "images.gz", "labels.gz")]
    [InlineData(true, false, "images-no-gz-extension", "labels.gz-but-raw")]
    [InlineData(false, true, "images.gz", "labels")]
    public void LoadsRawAndGzipFilesExactly(bool gzipImages, bool gzipLabels, string imagesName, string labelsName)
    {
        var (images, labels) = WriteValid(gzipImages, gzipLabels, imagesName, labelsName);

        ImageDataset data = Idx.Load(images, labels);

        Assert.Equal(3, data.Count);
        Assert.Equal(1, data.Channels);
        Assert.Equal(2, data.Height);
        Assert.Equal(4, data.Width);
        Assert.Equal(10, data.NumClasses);
        Assert.Equal(TestFiles.Ramp(24, 10), data.Pixels);
        Assert.Equal(new byte[] { 2, 0, 9 }, data.Labels);
        Assert.Equal(TestFiles.Ramp(8, 18), data.GetImage(1).ToArray());
        Assert.Contains(imagesName, data.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var (images, _) = WriteValid();
        string missing = _dir.File("no-such-labels");

        var ex = Assert.Throws<FileNotFoundException>(() => Idx.Load(images, missing));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsFileGivenAsImagesIsBadMagic()
    {
        var (images, labels) = WriteValid();

        AssertFormatError(labels, () => Idx.Load(labels, images), "bad magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte images)");
    }

    [Fact]
    public void ImagesFileGivenAsLabelsIsBadMagic()
    {
        var (images, labels) = WriteValid();
        string imagesCopy = _dir.File("other-images");
        File.Copy(images, imagesCopy);

        AssertFormatError(images, () => Idx.Load(imagesCopy, images), "bad magic number 0x00000803, expected 0x00000801 (IDX unsigned-byte labels)");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NonIdxMagicIsRejected(bool gzip)
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x12345678, [3, 2, 4], new byte[24]), gzip: gzip);

        AssertFormatError(path, () => Idx.Load(path, labels), "bad magic number 0x12345678", "not an IDX file");
    }

    [Fact]
    public void WrongDataTypeCodeIsRejected()
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x0D03, [3, 2, 4], new byte[96]));

        AssertFormatError(path, () => Idx.Load(path, labels), "bad magic number 0x00000D03", "data type code 0x0D (float32)");
    }

    [Fact]
    public void WrongDimensionCountIsRejected()
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x802, [3, 8], new byte[24]));

        AssertFormatError(path, () => Idx.Load(path, labels), "bad magic number 0x00000802", "2 dimension(s), expected 3");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NonPositiveDimensionIsRejected(int size)
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x803, [3, size, 4], []));

        AssertFormatError(path, () => Idx.Load(path, labels), $"dimension 1 has size {size}");
    }

    [Theory]
    [InlineData(int.MaxValue, 28, 28)]
    [InlineData(1, 100_000, 100_000)]
    [InlineData(1, 1, 1 << 20)]
    public void AbsurdDimensionsAreRejected(int count, int rows, int cols)
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x803, [count, rows, cols], new byte[16]), gzip: true);

        AssertFormatError(path, () => Idx.Load(path, labels), $"absurd dimensions {count} x {rows} x {cols}");
    }

    [Theory]
    [InlineData(false, "the file holds only 20")]
    [InlineData(true, "the decompressed data holds only 20")]
    public void TruncatedDataIsRejected(bool gzip, string detail)
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x803, [3, 2, 4], new byte[20]), gzip: gzip);

        AssertFormatError(path, () => Idx.Load(path, labels), "truncated data", "promises 24 data bytes (3 x 2 x 4)", detail);
    }

    [Fact]
    public void TruncatedHeaderIsRejected()
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x803, [3], []));

        AssertFormatError(path, () => Idx.Load(path, labels), "truncated header");
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        var (_, labels) = WriteValid();
        string path = WriteImages([]);

        AssertFormatError(path, () => Idx.Load(path, labels), "file is empty");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingGarbageIsRejected(bool gzip)
    {
        var (_, labels) = WriteValid();
        string path = WriteImages(TestFiles.Idx(0x803, [3, 2, 4], new byte[24], trailing: [1, 2, 3]), gzip: gzip);

        AssertFormatError(path, () => Idx.Load(path, labels), "3 unexpected trailing byte(s) after the 24 data bytes");
    }

    [Fact]
    public void CorruptGzipStreamIsWrapped()
    {
        var (images, _) = WriteValid();
        // A gzip header followed by a deflate block of the reserved type 11.
        string labels = WriteImages([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "corrupt-labels.gz");

        var ex = AssertFormatError(labels, () => Idx.Load(images, labels), "corrupt gzip stream");
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void CutGzipFileIsRejected()
    {
        var (_, labels) = WriteValid();
        byte[] gz = TestFiles.Gzip(TestFiles.Idx(0x803, [50, 20, 20], TestFiles.Ramp(20_000)));
        string path = WriteImages(gz[..(gz.Length / 2)], "cut-images.gz");

        AssertFormatError(path, () => Idx.Load(path, labels));
    }

    [Fact]
    public void CountMismatchNamesBothFiles()
    {
        var (images, _) = WriteValid();
        string labels = WriteImages(TestFiles.Idx(0x801, [2], [1, 1]), "short-labels");

        var ex = AssertFormatError(labels, () => Idx.Load(images, labels), "label count 2 does not match the image count 3");
        Assert.Contains(images, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelOutOfRangeNamesIndexAndValue()
    {
        var (images, labels) = WriteValid();

        AssertFormatError(labels, () => Idx.Load(images, labels, numClasses: 5), "label at index 2 has value 9", "5 classes");
        Assert.Equal(10, Idx.Load(images, labels, numClasses: 10).NumClasses);
    }
}
