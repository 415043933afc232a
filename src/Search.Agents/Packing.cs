using System.Buffers.Binary;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Agents;

/// <summary>
/// Numbers as base64 of their little-endian bytes: exact (every bit survives, unlike decimal text in some readers)
/// and about a third the size of JSON numbers, which matters for a checkpoint written after every result.
/// </summary>
internal static class Packing
{
    public static string Doubles(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        return Convert.ToBase64String(bytes);
    }

    public static double[] ReadDoubles(string? text, string what)
    {
        var bytes = Decode(text, what);
        if (bytes.Length % 8 != 0) throw new SearchSpaceException($"agent state: '{what}' is not a whole number of doubles");
        var values = new double[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
        return values;
    }

    public static string Floats(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Convert.ToBase64String(bytes);
    }

    public static float[] ReadFloats(string? text, string what)
    {
        var bytes = Decode(text, what);
        if (bytes.Length % 4 != 0) throw new SearchSpaceException($"agent state: '{what}' is not a whole number of floats");
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    public static byte[] Decode(string? text, string what)
    {
        if (text is null) throw new SearchSpaceException($"agent state: '{what}' is missing");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new SearchSpaceException($"agent state: '{what}' is not base64", e);
        }
    }
}
