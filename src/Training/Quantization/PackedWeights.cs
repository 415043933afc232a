using System.Text.Json;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training.Graph;

namespace AutoCompress.Training.Quantization;

/// <summary>
/// The real storage of a quantized model: a safetensors file in which each quantized weight
/// "&lt;id&gt;.weight" is stored as
/// <list type="bullet">
/// <item>"&lt;id&gt;.weight.packed": U8 [⌈n·b / 8⌉], its n integer levels bit-packed (<see cref="BitPacking"/>);</item>
/// <item>"&lt;id&gt;.weight.scales": F32, one scale per tensor [1], per output channel [C] or per group [C, groups];</item>
/// <item>header metadata "&lt;id&gt;.weight": JSON {"bits", "granularity", "group_size", "shape"};</item>
/// </list>
/// and every other tensor (biases, batch norm, activation ranges "&lt;id&gt;_aq.range") as it is in the
/// model, float32 (int64 for batch-norm counters). The metadata "format" is <see cref="Format"/>.
/// <see cref="Load"/> unpacks it back to a state dict whose weights are exactly the fake-quantized
/// weights the model computed with, ready for <see cref="GraphModel.LoadWeights"/>.
/// </summary>
public static class PackedWeights
{
    /// <summary>The "format" metadata of a packed file.</summary>
    public const string Format = "autocompress-packed-1";

    private const string PackedSuffix = ".packed";
    private const string ScalesSuffix = ".scales";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>What the header records of one packed weight.</summary>
    private sealed record Entry(int Bits, WeightGranularity Granularity, int? GroupSize, long[] Shape);

    /// <summary>Writes <paramref name="model"/>'s weights packed to <paramref name="path"/>; returns the file's size in bytes.</summary>
    public static long Save(GraphModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        using var scope = TorchEngine.NewDisposeScope();
        var state = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor);
        var tensors = new List<(string, Tensor)>();
        var metadata = new Dictionary<string, string> { ["format"] = Format };
        foreach (var node in model.Graph.Order)
        {
            if (WeightQuantSpec.Of(node.Layer) is not { } spec) continue;
            var name = $"{node.Id}.weight";
            var weight = state[name];
            var (levels, scales) = WeightQuantization.Quantize(weight, spec);
            var packed = BitPacking.Pack(levels.To(DType.Int32).ToArray<int>(), spec.Bits);
            tensors.Add((name + PackedSuffix, Tensor.FromArray<byte>(packed)));
            tensors.Add((name + ScalesSuffix, scales));
            metadata[name] = JsonSerializer.Serialize(new Entry(spec.Bits, spec.Granularity, spec.GroupSize, weight.Shape), Json);
            state.Remove(name);
        }
        tensors.AddRange(state.Select(kv => (kv.Key, kv.Value)));
        SafeTensors.Save(path, tensors, metadata);
        return new FileInfo(path).Length;
    }

    /// <summary>
    /// Reads a packed file back to a state dict: packed weights dequantized to float32, everything
    /// else as stored. The tensors belong to the current dispose scope.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a packed model or its entries do not agree.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var scope = TorchEngine.NewDisposeScope();
        var stored = SafeTensors.Load(path, out var metadata);
        if (!metadata.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"{path}: not a packed model (format '{format ?? "none"}', expected '{Format}')");
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in stored)
        {
            if (name.EndsWith(ScalesSuffix, StringComparison.Ordinal) && stored.ContainsKey(name[..^ScalesSuffix.Length] + PackedSuffix)) continue;
            if (!name.EndsWith(PackedSuffix, StringComparison.Ordinal))
            {
                state[name] = tensor;
                continue;
            }
            var weight = name[..^PackedSuffix.Length];
            state[weight] = Unpack(path, weight, tensor, stored, metadata);
        }
        foreach (var t in state.Values) t.MoveToOuterScope();
        return state;
    }

    private static Tensor Unpack(string path, string weight, Tensor packed, Dictionary<string, Tensor> stored, Dictionary<string, string> metadata)
    {
        string Bad(string what) => $"{path}: packed weight '{weight}': {what}";
        if (!metadata.TryGetValue(weight, out var json)) throw new InvalidDataException(Bad("no metadata entry"));
        if (!stored.TryGetValue(weight + ScalesSuffix, out var scales)) throw new InvalidDataException(Bad("no scales"));
        Entry entry;
        WeightQuantSpec spec;
        try
        {
            entry = JsonSerializer.Deserialize<Entry>(json, Json) ?? throw new InvalidDataException(Bad("metadata is null"));
            spec = new WeightQuantSpec(entry.Bits, entry.Granularity, entry.GroupSize);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException(Bad($"invalid metadata {json}: {e.Message}"), e);
        }
        if (packed.DType != DType.UInt8 || packed.Dim != 1) throw new InvalidDataException(Bad($"packed data must be a 1-D U8 tensor, is {packed.DType}[{string.Join(", ", packed.Shape)}]"));
        var count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        int[] levels;
        try
        {
            levels = BitPacking.Unpack(packed.ToArray<byte>(), count, entry.Bits);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(Bad(e.Message), e);
        }
        var asFloat = Array.ConvertAll(levels, v => (float)v);
        try
        {
            return WeightQuantization.Dequantize(Tensor.FromArray(asFloat, entry.Shape), scales, spec);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(Bad(e.Message), e);
        }
    }
}
