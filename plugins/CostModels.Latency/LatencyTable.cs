using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoCompress.CostModels.Latency;

/// <summary>One measured lookup-table entry.</summary>
public sealed record LatencyEntry(double MedianMs, int Repeats, double Work);

/// <summary>
/// A latency lookup table for one device and execution setting (threads, batch size): median
/// milliseconds per <see cref="LatencyKey"/>, plus the per-forward framework overhead. Stored as
/// JSON, written atomically.
/// </summary>
public sealed class LatencyTable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Device { get; init; } = "local";
    public int Threads { get; init; } = 1;
    public int BatchSize { get; init; } = 1;
    public string Engine { get; init; } = "";
    public int Warmup { get; init; }
    public int MinRepeats { get; init; }
    /// <summary>Time a realised model spends per forward outside its layers (graph bookkeeping).</summary>
    public double OverheadMs { get; set; }
    public Dictionary<string, LatencyEntry> Entries { get; init; } = new(StringComparer.Ordinal);

    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Reads a table; a malformed file fails with an error naming it.</summary>
    public static LatencyTable Load(string path)
    {
        try
        {
            var t = JsonSerializer.Deserialize<LatencyTable>(File.ReadAllText(path), Json)
                    ?? throw new InvalidDataException($"{path}: empty latency table");
            if (t.Threads < 1 || t.BatchSize < 1) throw new InvalidDataException($"{path}: threads and batch_size must be >= 1");
            foreach (var (k, e) in t.Entries)
                if (!(e.MedianMs >= 0)) throw new InvalidDataException($"{path}: entry '{k}' has latency {e.MedianMs}");
            return t;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a latency table: {e.Message}", e);
        }
    }
}
