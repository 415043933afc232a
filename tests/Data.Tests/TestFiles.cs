using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoCompress.Data.Tests;

/// <summary>A temporary directory deleted on dispose, plus writers for small dataset files.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ac-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Builders for IDX and CIFAR-10 file contents.</summary>
public static class TestFiles
{
    /// <summary>IDX bytes: big-endian magic, big-endian dimension sizes, data, then optional extra bytes.</summary>
    public static byte[] Idx(int magic, int[] dims, byte[] data, byte[]? trailing = null)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length + (trailing?.Length ?? 0)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d)), dims[d]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        trailing?.CopyTo(bytes, 4 + (4 * dims.Length) + data.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal))
        {
            gz.Write(bytes);
        }

        return output.ToArray();
    }

    public static void Write(string path, byte[] bytes, bool gzip = false) => File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);

    /// <summary><paramref name="length"/> bytes counting up from <paramref name="start"/> (mod 256).</summary>
    public static byte[] Ramp(int length, int start = 0)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(start + i);
        }

        return data;
    }

    /// <summary>CIFAR-10 records: each is the label then 3072 pixels equal to (record * 7 + offset) mod 256.</summary>
    public static byte[] Cifar(byte[] labels, int seed = 0)
    {
        var bytes = new byte[labels.Length * 3073];
        for (int r = 0; r < labels.Length; r++)
        {
            bytes[r * 3073] = labels[r];
            for (int p = 0; p < 3072; p++)
            {
                bytes[(r * 3073) + 1 + p] = CifarPixel(r, p, seed);
            }
        }

        return bytes;
    }

    public static byte CifarPixel(int record, int pixel, int seed = 0) => (byte)((record * 7) + pixel + seed);
}
