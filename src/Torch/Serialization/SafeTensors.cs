using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AutoCompress.Torch.Serialization;

/// <summary>
/// Reads and writes the safetensors format (https://huggingface.co/docs/safetensors): an 8-byte
/// little-endian header length, a JSON header mapping each name to its dtype, shape and byte
/// range, then the raw little-endian tensor data. Files are readable by other tools.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100_000_000;

    private static string Code(DType t) => t switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "dtype has no safetensors code"),
    };

    private static DType FromCode(string code, string path, string name) => code switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "I8" => DType.Int8,
        "U8" => DType.UInt8,
        "BOOL" => DType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor '{name}' has unsupported dtype '{code}'"),
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (a temporary file renamed
    /// into place), so a crash never leaves a half-written file under the final name.
    /// </summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var dupes = items.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0) throw new ArgumentException($"duplicate tensor names: {string.Join(", ", dupes)}");

        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, t) in items)
        {
            var bytes = t.NumEl * t.DType.ElementSize();
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = Code(t.DType),
                ["shape"] = t.Shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        // Pad the header with spaces so the data starts 8-byte aligned (allowed by the format).
        var padded = (json.Length + 7) / 8 * 8;

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
                fs.Write(len);
                fs.Write(json);
                for (var i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
                foreach (var (_, t) in items)
                {
                    var buf = new byte[t.NumEl * t.DType.ElementSize()];
                    CopyRawBytes(t, buf);
                    fs.Write(buf);
                }
                fs.Flush(true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    // The raw little-endian bytes of any tensor (row-major).
    private static void CopyRawBytes(Tensor t, Span<byte> bytes)
    {
        switch (t.DType)
        {
            case DType.Float32: t.CopyTo(MemoryMarshal.Cast<byte, float>(bytes)); break;
            case DType.Float64: t.CopyTo(MemoryMarshal.Cast<byte, double>(bytes)); break;
            case DType.Int64: t.CopyTo(MemoryMarshal.Cast<byte, long>(bytes)); break;
            case DType.Int32: t.CopyTo(MemoryMarshal.Cast<byte, int>(bytes)); break;
            case DType.Int8: t.CopyTo(MemoryMarshal.Cast<byte, sbyte>(bytes)); break;
            case DType.UInt8: t.CopyTo(bytes); break;
            case DType.Bool: t.CopyTo(MemoryMarshal.Cast<byte, bool>(bytes)); break;
            default: throw new ArgumentOutOfRangeException(nameof(t), t.DType, "unsupported dtype");
        }
    }

    /// <summary>
    /// Reads every tensor of a safetensors file. The tensors are created in the current
    /// <see cref="DisposeScope"/> (or owned by the caller when there is none).
    /// Malformed files fail with <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>As <see cref="Load(string)"/>, also returning the file's metadata.</summary>
    public static Dictionary<string, Tensor> Load(string path, out Dictionary<string, string> metadata)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 8) throw new InvalidDataException($"{path}: file is {data.Length} bytes, too short for a safetensors header");
        var headerLen = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (headerLen > MaxHeaderBytes || (long)headerLen > data.Length - 8)
            throw new InvalidDataException($"{path}: header length {headerLen} exceeds the file size {data.Length}");
        var dataStart = 8 + (long)headerLen;
        var dataLen = data.Length - dataStart;

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(data.AsMemory(8, (int)headerLen)).RootElement;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: header is not valid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: header is not a JSON object");

        metadata = new Dictionary<string, string>();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var prop in root.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                result[prop.Name] = ReadTensor(path, prop.Name, prop.Value, data, dataStart, dataLen);
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static Tensor ReadTensor(string path, string name, JsonElement e, byte[] data, long dataStart, long dataLen)
    {
        string Bad(string what) => $"{path}: tensor '{name}': {what}";
        if (!e.TryGetProperty("dtype", out var dt) || !e.TryGetProperty("shape", out var sh) || !e.TryGetProperty("data_offsets", out var off))
            throw new InvalidDataException(Bad("needs dtype, shape and data_offsets"));
        var dtype = FromCode(dt.GetString() ?? "", path, name);
        var shape = sh.EnumerateArray().Select(x => x.GetInt64()).ToArray();
        if (shape.Any(d => d < 0)) throw new InvalidDataException(Bad($"negative dimension in shape [{string.Join(", ", shape)}]"));
        var offsets = off.EnumerateArray().Select(x => x.GetInt64()).ToArray();
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLen)
            throw new InvalidDataException(Bad($"data_offsets [{string.Join(", ", offsets)}] fall outside the {dataLen} data bytes"));
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (offsets[1] - offsets[0] != count * dtype.ElementSize())
            throw new InvalidDataException(Bad($"holds {offsets[1] - offsets[0]} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {count * dtype.ElementSize()}"));

        var bytes = data.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
        return dtype switch
        {
            DType.Float32 => Tensor.FromArray(Cast<float>(bytes), shape),
            DType.Float64 => Tensor.FromArray(Cast<double>(bytes), shape),
            DType.Int64 => Tensor.FromArray(Cast<long>(bytes), shape),
            DType.Int32 => Tensor.FromArray(Cast<int>(bytes), shape),
            DType.Int8 => Tensor.FromArray(Cast<sbyte>(bytes), shape),
            DType.UInt8 => Tensor.FromArray<byte>(bytes, shape),
            DType.Bool => Tensor.FromArray(Cast<bool>(bytes), shape),
            _ => throw new InvalidDataException(Bad("unsupported dtype")),
        };
    }

    private static ReadOnlySpan<T> Cast<T>(ReadOnlySpan<byte> bytes) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(bytes);
}
