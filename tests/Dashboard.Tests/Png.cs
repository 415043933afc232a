using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoCompress.Dashboard.Tests;

/// <summary>
/// A decoded PNG (8-bit RGB or RGBA, not interlaced: what Chromium's screenshots are), enough to check the pixels of a
/// screenshot without an imaging library.
/// </summary>
internal sealed class Png
{
    private readonly byte[] rgba;

    private Png(int width, int height, byte[] rgba) => (Width, Height, this.rgba) = (width, height, rgba);

    public int Width { get; }
    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 4;
            return (rgba[i], rgba[i + 1], rgba[i + 2]);
        }
    }

    public static Png Read(string path) => Decode(File.ReadAllBytes(path));

    public static Png Decode(byte[] data)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("not a PNG file");
        int width = 0, height = 0, colorType = 0;
        using var idat = new MemoryStream();
        for (var pos = 8; pos + 8 <= data.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(data, pos + 4, 4);
            var body = data.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                var depth = body[8];
                colorType = body[9];
                var interlace = body[12];
                if (depth != 8 || colorType is not (2 or 6) || interlace != 0)
                    throw new InvalidDataException($"unsupported PNG: depth {depth}, colour type {colorType}, interlace {interlace}");
            }
            else if (type == "IDAT") idat.Write(body);
            else if (type == "IEND") break;
            pos += 12 + length;
        }
        var channels = colorType == 6 ? 4 : 3;
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.ReadExactly(raw);
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var prior = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0, b = prior[i], c = i >= channels ? prior[i - channels] : 0;
                row[i] = (byte)(line[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter} on row {y}"),
                });
            }
        }
        var rgba = new byte[width * height * 4];
        for (var p = 0; p < width * height; p++)
        {
            rgba[p * 4] = pixels[p * channels];
            rgba[(p * 4) + 1] = pixels[(p * channels) + 1];
            rgba[(p * 4) + 2] = pixels[(p * channels) + 2];
            rgba[(p * 4) + 3] = channels == 4 ? pixels[(p * channels) + 3] : (byte)255;
        }
        return new Png(width, height, rgba);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>How many distinct colours the image holds (capped at <paramref name="cap"/>).</summary>
    public int DistinctColours(int cap = 1000)
    {
        var seen = new HashSet<int>();
        for (var y = 0; y < Height && seen.Count < cap; y++)
            for (var x = 0; x < Width; x++)
            {
                var (r, g, b) = this[x, y];
                seen.Add((r << 16) | (g << 8) | b);
            }
        return seen.Count;
    }

    /// <summary>
    /// Saturated pixels inside a rectangle: the chart's marks (blue points and lines, red front) as opposed to its
    /// white background, grey grid and axes and dark text.
    /// </summary>
    public int SaturatedPixels((int X, int Y, int Width, int Height) r, int threshold = 60)
    {
        var n = 0;
        for (var y = Math.Max(0, r.Y); y < Math.Min(Height, r.Y + r.Height); y++)
            for (var x = Math.Max(0, r.X); x < Math.Min(Width, r.X + r.Width); x++)
            {
                var (cr, cg, cb) = this[x, y];
                if (Math.Max(cr, Math.Max(cg, cb)) - Math.Min(cr, Math.Min(cg, cb)) > threshold) n++;
            }
        return n;
    }

    /// <summary>Pixels inside a rectangle that are red (the Pareto front's colour) rather than blue, grey or white.</summary>
    public int RedPixels((int X, int Y, int Width, int Height) r)
    {
        var n = 0;
        for (var y = Math.Max(0, r.Y); y < Math.Min(Height, r.Y + r.Height); y++)
            for (var x = Math.Max(0, r.X); x < Math.Min(Width, r.X + r.Width); x++)
            {
                var (cr, cg, cb) = this[x, y];
                if (cr > 150 && cg < 110 && cb < 110) n++;
            }
        return n;
    }
}
