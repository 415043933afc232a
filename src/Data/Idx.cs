using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoCompress.Data;

/// <summary>
/// Reader for IDX files (the MNIST / Fashion-MNIST format): a big-endian int32 magic number
/// <c>0x0000TTDD</c> (TT = data type, DD = dimension count), DD big-endian int32 sizes, then the data.
/// Gzip-compressed files are recognised by their 1F 8B signature, whatever their extension.
/// </summary>
public static class Idx
{
    /// <summary>Magic number of a 3-D unsigned-byte IDX file (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a 1-D unsigned-byte IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;
    private const int MaxImageSide = 1 << 16;

    /// <summary>
    /// Loads a grayscale dataset from an IDX image file (N x rows x cols, uint8) and an IDX label file
    /// (N, uint8). Either file may be gzip-compressed.
    /// </summary>
    /// <param name="imagesPath">Path of the 3-D image file.</param>
    /// <param name="labelsPath">Path of the 1-D label file.</param>
    /// <param name="numClasses">Number of classes; every label must be below it.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is malformed or the two files disagree.</exception>
    public static ImageDataset Load(string imagesPath, string labelsPath, int numClasses = 10)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        if (numClasses is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "The number of classes must be between 1 and 256 (labels are bytes).");
        }

        byte[] pixels = Read(imagesPath, ImagesMagic, "IDX unsigned-byte images", out int[] imageDims);
        byte[] labels = Read(labelsPath, LabelsMagic, "IDX unsigned-byte labels", out int[] labelDims);

        if (labelDims[0] != imageDims[0])
        {
            throw new DataFormatException(
                labelsPath, $"label count {labelDims[0]} does not match the image count {imageDims[0]} in {imagesPath}");
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= numClasses)
            {
                throw new DataFormatException(
                    labelsPath, $"label at index {i} has value {labels[i]}, but there are {numClasses} classes (valid labels are 0..{numClasses - 1})");
            }
        }

        return new ImageDataset(
            pixels, labels, channels: 1, height: imageDims[1], width: imageDims[2], numClasses, $"IDX {imagesPath} + {labelsPath}");
    }

    /// <summary>Reads one unsigned-byte IDX file whose magic must equal <paramref name="expectedMagic"/>.</summary>
    private static byte[] Read(string path, int expectedMagic, string description, out int[] dims)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        bool gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        try
        {
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return ReadPayload(path, stream, gzip ? null : file.Length, expectedMagic, description, out dims);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException(path, $"corrupt gzip stream: {ex.Message}", ex);
        }
    }

    private static byte[] ReadPayload(string path, Stream stream, long? fileLength, int expectedMagic, string description, out int[] dims)
    {
        string what = fileLength is null ? "decompressed data" : "file";
        Span<byte> word = stackalloc byte[4];
        int got = ReadFully(stream, word);
        if (got == 0)
        {
            throw new DataFormatException(path, $"{what} is empty");
        }

        if (got < 4)
        {
            throw new DataFormatException(path, $"{what} is only {got} bytes long, too short for an IDX magic number");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        int expectedRank = expectedMagic & 0xFF;
        int rank = magic & 0xFF;
        int type = (magic >> 8) & 0xFF;
        if ((magic & unchecked((int)0xFFFF0000)) != 0)
        {
            throw new DataFormatException(path, $"bad magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} ({description}); this is not an IDX file");
        }

        if (type != UnsignedByteType)
        {
            throw new DataFormatException(
                path, $"bad magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} ({description}): data type code 0x{type:X2} ({TypeName(type)}) is not 0x08 (unsigned byte)");
        }

        if (rank != expectedRank)
        {
            throw new DataFormatException(
                path, $"bad magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} ({description}): the file has {rank} dimension(s), expected {expectedRank}");
        }

        dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++)
        {
            if (ReadFully(stream, word) < 4)
            {
                throw new DataFormatException(path, $"truncated header: {what} ends before the {rank} dimension sizes");
            }

            dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[d] <= 0)
            {
                throw new DataFormatException(path, $"dimension {d} has size {dims[d]}; sizes must be positive");
            }

            total *= dims[d];
        }

        string shape = string.Join(" x ", dims);
        if (total > Array.MaxLength || (rank == 3 && (dims[1] > MaxImageSide || dims[2] > MaxImageSide)))
        {
            throw new DataFormatException(path, $"absurd dimensions {shape} ({total} bytes); this is not a plausible dataset");
        }

        long headerLength = 4 + (4L * rank);
        if (fileLength is long length && length - headerLength != total)
        {
            // Raw file: decide before allocating anything.
            throw length - headerLength < total
                ? Truncated(path, what, shape, total, length - headerLength)
                : Trailing(path, shape, total, length - headerLength - total);
        }

        // Grow the buffer as data arrives, so a lying gzip header cannot make us allocate gigabytes up front.
        var data = new byte[(int)Math.Min(total, fileLength is null ? 1 << 20 : total)];
        int filled = 0;
        while (filled < total)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
            }

            int n = stream.Read(data, filled, data.Length - filled);
            if (n == 0)
            {
                throw Truncated(path, what, shape, total, filled);
            }

            filled += n;
        }

        long extra = 0;
        var scratch = new byte[1 << 16];
        for (int n; (n = stream.Read(scratch, 0, scratch.Length)) > 0;)
        {
            extra += n;
        }

        if (extra > 0)
        {
            throw Trailing(path, shape, total, extra);
        }

        return data;
    }

    private static DataFormatException Truncated(string path, string what, string shape, long expected, long actual) =>
        new(path, $"truncated data: the header promises {expected} data bytes ({shape}) but the {what} holds only {actual}");

    private static DataFormatException Trailing(string path, string shape, long expected, long extra) =>
        new(path, $"{extra} unexpected trailing byte(s) after the {expected} data bytes ({shape}) the header describes");

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = stream.Read(buffer[filled..]);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return filled;
    }

    private static string TypeName(int type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown",
    };
}
