namespace AutoCompress.Data;

/// <summary>
/// CIFAR-10, binary version: 32x32 RGB images in 10 classes. Each batch file is a sequence of
/// 3073-byte records: one label byte, then 1024 red, 1024 green and 1024 blue pixel bytes (row-major).
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes per record: 1 label byte + 3 * 32 * 32 pixel bytes.</summary>
    public const int RecordSize = 1 + PixelsPerImage;

    /// <summary>Subdirectory name inside the official <c>cifar-10-binary.tar.gz</c> archive.</summary>
    public const string ArchiveSubdirectory = "cifar-10-batches-bin";

    private const int Side = 32;
    private const int PixelsPerImage = 3 * Side * Side;

    /// <summary>The five training batch file names.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test batch file name.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>
    /// Loads the training split (the five data batches, 50000 images) or the test split (10000 images).
    /// If the files are not directly in <paramref name="directory"/> but in its
    /// <see cref="ArchiveSubdirectory"/>, that is used instead.
    /// </summary>
    /// <exception cref="FileNotFoundException">Batch files are missing; the message names them.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static ImageDataset Load(string directory, bool train)
    {
        ArgumentNullException.ThrowIfNull(directory);
        IReadOnlyList<string> names = train ? TrainFiles : [TestFile];
        string dir = directory;
        if (!File.Exists(Path.Combine(dir, names[0])) && File.Exists(Path.Combine(dir, ArchiveSubdirectory, names[0])))
        {
            dir = Path.Combine(dir, ArchiveSubdirectory);
        }

        var missing = new List<string>();
        foreach (string name in names)
        {
            if (!File.Exists(Path.Combine(dir, name)))
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"CIFAR-10 {(train ? "training" : "test")} data incomplete in {dir}: missing {string.Join(", ", missing)} " +
                "(expected the binary version, cifar-10-binary.tar.gz).",
                Path.Combine(dir, missing[0]));
        }

        var parts = new List<ImageDataset>(names.Count);
        long total = 0;
        foreach (string name in names)
        {
            ImageDataset part = LoadFile(Path.Combine(dir, name));
            parts.Add(part);
            total += part.Count;
        }

        var pixels = new byte[total * PixelsPerImage];
        var labels = new byte[total];
        int offset = 0;
        foreach (ImageDataset part in parts)
        {
            part.Pixels.CopyTo(pixels, (long)offset * PixelsPerImage);
            part.Labels.CopyTo(labels, offset);
            offset += part.Count;
        }

        return new ImageDataset(pixels, labels, 3, Side, Side, ClassNames.Count, $"CIFAR-10 {(train ? "train" : "test")} ({dir})");
    }

    /// <summary>Loads a single CIFAR-10 binary batch file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The size is not a whole number of records, or a label is above 9.</exception>
    public static ImageDataset LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CIFAR-10 batch file not found: {path}", path);
        }

        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new DataFormatException(path, $"file is empty; a CIFAR-10 batch holds records of {RecordSize} bytes");
        }

        if (length % RecordSize != 0)
        {
            throw new DataFormatException(
                path, $"file size {length} bytes is not a multiple of the {RecordSize}-byte record size (1 label byte + {PixelsPerImage} pixel bytes)");
        }

        if (length > Array.MaxLength)
        {
            throw new DataFormatException(path, $"file size {length} bytes is too large for a CIFAR-10 batch");
        }

        byte[] raw = File.ReadAllBytes(path);
        if (raw.LongLength != length)
        {
            throw new DataFormatException(path, $"file changed size while reading ({length} then {raw.LongLength} bytes)");
        }

        int count = (int)(length / RecordSize);
        var pixels = new byte[(long)count * PixelsPerImage];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int record = i * RecordSize;
            byte label = raw[record];
            if (label >= ClassNames.Count)
            {
                throw new DataFormatException(path, $"record {i} has label {label}, expected 0..{ClassNames.Count - 1}");
            }

            labels[i] = label;
            Buffer.BlockCopy(raw, record + 1, pixels, i * PixelsPerImage, PixelsPerImage);
        }

        return new ImageDataset(pixels, labels, 3, Side, Side, ClassNames.Count, $"CIFAR-10 {path}");
    }
}
