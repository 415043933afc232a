using System.Globalization;
using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.CostModels.LatencyTable;

/// <summary>
/// Latencies measured per architecture, imported from a CSV table and looked up by the
/// architecture string a model carries in its <see cref="ModelDescription.Metadata"/>.
/// The table is read once, when the cost model is created.
/// </summary>
/// <remarks>
/// The CSV has a header <c>index,arch_str,&lt;device&gt;_ms,...</c> and one row per architecture:
/// an integer index, the architecture string, then one latency in milliseconds per device column.
/// Fields are separated by commas and are not quoted; blank lines are ignored. Each
/// <c>&lt;device&gt;_ms</c> column makes a device named <c>&lt;device&gt;</c> (the shared
/// <c>nb201_latency.csv</c> gives pixel3, raspi4, gold_6226 and 1080ti_1). The latencies are
/// for a batch of one, so other batch sizes are refused.
/// </remarks>
public sealed class ArchitectureLatencyTable : CostModel
{
    /// <summary>The id the NAS-Bench-201 latency table is registered under.</summary>
    public const string Nb201Id = "nb201-latency-table";

    /// <summary>The metadata key NAS-Bench-201 networks keep their canonical architecture string under.</summary>
    public const string Nb201ArchKey = "nasbench201.arch";

    private const string DeviceSuffix = "_ms";

    private readonly Dictionary<string, double[]> latencies;
    private readonly string[] devices;
    private readonly IReadOnlyList<string> deviceList;

    /// <summary>Reads the table at <paramref name="csvPath"/>.</summary>
    /// <param name="id">The id this cost model is registered under, e.g. <see cref="Nb201Id"/>.</param>
    /// <param name="csvPath">The CSV file to import.</param>
    /// <param name="metadataKey">The metadata key holding a model's architecture string.</param>
    /// <exception cref="CostModelException">The file does not exist, or a line of it is malformed
    /// (the message names the file, the line and, for a bad value, the column): a header other than
    /// <c>index,arch_str,&lt;device&gt;_ms,...</c>, a row with the wrong number of fields, an index
    /// that is not an integer, a latency that is not a finite non-negative number, or an
    /// architecture listed twice.</exception>
    public ArchitectureLatencyTable(string id, string csvPath, string metadataKey = Nb201ArchKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(metadataKey);
        Id = id;
        Path = csvPath;
        MetadataKey = metadataKey;
        if (!File.Exists(csvPath)) throw new CostModelException($"latency table '{csvPath}' does not exist");
        (devices, latencies) = Read(csvPath);
        deviceList = Array.AsReadOnly(devices);
    }

    /// <inheritdoc />
    public override string Id { get; }

    /// <summary>The CSV file the table was read from.</summary>
    public string Path { get; }

    /// <summary>The metadata key holding a model's architecture string.</summary>
    public string MetadataKey { get; }

    /// <summary>Number of architectures in the table.</summary>
    public int Count => latencies.Count;

    /// <summary><see cref="CostMetrics.LatencyMs"/>, per inference of one sample.</summary>
    public override IReadOnlyList<string> Metrics { get; } = [CostMetrics.LatencyMs];

    /// <summary>The devices of the table's <c>&lt;device&gt;_ms</c> columns, in column order.</summary>
    public override IReadOnlyList<string> Devices => deviceList;

    /// <inheritdoc />
    /// <exception cref="CostModelException">The model has no architecture under <see cref="MetadataKey"/>,
    /// the table has no row for it, or the batch size is not 1.</exception>
    protected override CostReport Compute(ModelGraph model, CostContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        if (context.BatchSize != 1)
            throw new CostModelException($"cost model '{Id}' holds latencies for batch size 1 only, not {context.BatchSize}");
        if (!model.Description.Metadata.TryGetValue(MetadataKey, out var arch))
            throw new CostModelException($"model '{model.Description.Name}' has no '{MetadataKey}' metadata, which cost model '{Id}' looks architectures up by");
        if (!latencies.TryGetValue(arch, out var row))
            throw new CostModelException($"architecture '{arch}' of model '{model.Description.Name}' is not in latency table '{Path}'");
        var latency = row[Array.IndexOf(devices, context.Device)];
        return new CostReport(Id, new Dictionary<string, double> { [CostMetrics.LatencyMs] = latency }, []);
    }

    private static (string[] Devices, Dictionary<string, double[]> Latencies) Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw Bad(path, 1, "the file is empty; expected the header index,arch_str,<device>_ms,...");
        var columns = header.Split(',');
        if (columns.Length < 3 || columns[0].Trim() != "index" || columns[1].Trim() != "arch_str")
            throw Bad(path, 1, $"header '{header}' must be index,arch_str,<device>_ms,...");
        var devices = new string[columns.Length - 2];
        for (var c = 2; c < columns.Length; c++)
        {
            var name = columns[c].Trim();
            if (name.Length <= DeviceSuffix.Length || !name.EndsWith(DeviceSuffix, StringComparison.Ordinal))
                throw Bad(path, 1, $"column {c + 1} '{name}' must be named <device>_ms");
            devices[c - 2] = name[..^DeviceSuffix.Length];
            if (Array.IndexOf(devices, devices[c - 2], 0, c - 2) >= 0)
                throw Bad(path, 1, $"device column '{name}' appears twice");
        }

        var latencies = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            if (fields.Length != columns.Length)
                throw Bad(path, lineNumber, $"has {fields.Length} fields, the header {columns.Length}");
            if (!int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                throw Bad(path, lineNumber, $"column 1 (index): '{fields[0]}' is not an integer");
            var arch = fields[1].Trim();
            if (arch.Length == 0) throw Bad(path, lineNumber, "column 2 (arch_str) is empty");
            var row = new double[devices.Length];
            for (var d = 0; d < devices.Length; d++)
            {
                var text = fields[d + 2];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || !double.IsFinite(ms) || ms < 0)
                    throw Bad(path, lineNumber, $"column {d + 3} ({columns[d + 2].Trim()}): '{text}' is not a non-negative latency in milliseconds");
                row[d] = ms;
            }
            if (!latencies.TryAdd(arch, row))
                throw Bad(path, lineNumber, $"architecture '{arch}' is already listed on line {lineOf[arch]}");
            lineOf[arch] = lineNumber;
        }
        return (devices, latencies);
    }

    private static CostModelException Bad(string path, int line, string problem) => new($"{path}:{line}: {problem}");
}
