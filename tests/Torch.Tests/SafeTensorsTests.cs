using System.Buffers.Binary;
using System.Text.Json;
using AutoCompress.Torch.Serialization;

namespace AutoCompress.Torch.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Every_dtype_round_trips_exactly_with_metadata()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(9);
        var tensors = new (string, Tensor)[]
        {
            ("f32", Tensor.Randn([3, 4])),
            ("f64", Tensor.Randn([2], DType.Float64)),
            ("i64", Tensor.FromArray(new long[] { long.MinValue, 0, long.MaxValue })),
            ("i32", Tensor.FromArray(new[] { -7, 7 })),
            ("i8", Tensor.FromArray(new sbyte[] { -128, 127 })),
            ("u8", Tensor.FromArray(new byte[] { 0, 255 }, 1, 2)),
            ("b", Tensor.FromArray(new[] { true, false, true })),
            ("scalar", Tensor.Scalar(3.5)),
            ("empty", Tensor.Zeros([0, 5])),
        };
        var path = Path.Combine(dir, "all.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var loaded = SafeTensors.Load(path, out var meta);
        Assert.Equal("pt", meta["format"]);
        Assert.Equal(tensors.Length, loaded.Count);
        foreach (var (name, t) in tensors)
        {
            var l = loaded[name];
            Assert.Equal(t.DType, l.DType);
            Assert.Equal(t.Shape, l.Shape);
            Assert.True(t.To(DType.Float64).AllClose(l.To(DType.Float64), 0, 0), name);
        }
        Assert.Equal(tensors[0].Item2.ToArray<float>(), loaded["f32"].ToArray<float>());
    }

    [Fact]
    public void The_file_follows_the_published_layout()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var path = Path.Combine(dir, "layout.safetensors");
        SafeTensors.Save(path, [("b", Tensor.FromArray(new float[] { 1, 2 })), ("a", Tensor.FromArray(new long[] { 3 }))]);
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, n));
        var a = header.RootElement.GetProperty("a");
        Assert.Equal("I64", a.GetProperty("dtype").GetString());
        Assert.Equal(new long[] { 0, 8 }, a.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()));
        var b = header.RootElement.GetProperty("b");
        Assert.Equal("F32", b.GetProperty("dtype").GetString());
        Assert.Equal(new long[] { 2 }, b.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(new long[] { 8, 16 }, b.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(3L, BitConverter.ToInt64(bytes, 8 + n));
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 8 + n + 12));
        Assert.Equal(8 + n + 16, bytes.Length);
    }

    [Fact]
    public void Corrupt_files_are_rejected_with_the_file_and_the_problem()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var good = Path.Combine(dir, "good.safetensors");
        SafeTensors.Save(good, [("w", Tensor.Ones([4]))]);
        var bytes = File.ReadAllBytes(good);

        var truncated = Path.Combine(dir, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..^3]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(truncated));
        Assert.Contains("truncated.safetensors", e.Message);
        Assert.Contains("'w'", e.Message);

        var tiny = Path.Combine(dir, "tiny.safetensors");
        File.WriteAllBytes(tiny, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(tiny)).Message);

        var hugeHeader = Path.Combine(dir, "huge.safetensors");
        var hb = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(hb, 1UL << 40);
        File.WriteAllBytes(hugeHeader, hb);
        Assert.Contains("exceeds the file size", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(hugeHeader)).Message);

        var badJson = Path.Combine(dir, "badjson.safetensors");
        var jb = (byte[])bytes.Clone();
        jb[8] = (byte)'x';
        File.WriteAllBytes(badJson, jb);
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(badJson)).Message);
    }

    [Fact]
    public void A_failed_save_leaves_no_partial_file_under_the_final_name()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var path = Path.Combine(dir, "dupe.safetensors");
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [("x", Tensor.Ones([1])), ("x", Tensor.Ones([1]))]));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(dir));
    }
}
