using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.Latency;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// Predicted latency of the final model from a latency lookup table (the latency-lut cost model's JSON
/// format: per-layer median milliseconds by <see cref="LatencyKey"/>, plus the per-forward overhead), at the
/// table's own thread count and batch size. Pruned layers have shapes the table may lack; they are
/// interpolated from the same op family (default), measured on this machine, or an error
/// (<see cref="CompressConfig.LatencyMissing"/>). Measured entries go into a copy of the table in the
/// trial's work directory (the given table is never written, as an evaluator writes only there).
/// Bit widths do not change a key: the table times float layers.
/// </summary>
public static class LatencyPrediction
{
    /// <summary>File name of the table copy that measured entries are saved into.</summary>
    public const string MeasuredTableFile = "latency-table.json";

    /// <summary>
    /// Adds "latency_ms" (see <see cref="CostMeasurement"/> for naming) and "latency_missing_layers" (layers whose key
    /// the table lacked); returns the written table copy when entries were measured.
    /// </summary>
    public static string? Add(IDictionary<string, double> metrics, ModelGraph graph, string tablePath, MissingKeyPolicy policy, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(graph);
        LatencyTable table;
        var exists = File.Exists(tablePath);
        if (!exists && policy != MissingKeyPolicy.Measure)
            throw new AutoCompress.Contracts.Methods.ConfigException(
                $"compress: 'latency_table': file '{tablePath}' does not exist (with \"latency_missing\": \"measure\" it may be absent and is built as the trial runs)");
        try
        {
            table = exists ? LatencyTable.Load(tablePath)
                : new LatencyTable { Threads = 1, BatchSize = 1, Engine = $"libtorch {AutoCompress.Torch.TorchEngine.Version}" };
        }
        catch (InvalidDataException e)
        {
            throw new AutoCompress.Contracts.Methods.ConfigException($"compress: 'latency_table': {e.Message}", e);
        }
        string? copy = null;
        if (policy == MissingKeyPolicy.Measure)
        {
            Directory.CreateDirectory(workDirectory);
            copy = Path.Combine(workDirectory, MeasuredTableFile);
            if (exists) File.Copy(tablePath, copy, overwrite: true);
        }
        var missing = graph.Order.Count(n => !table.Entries.ContainsKey(LatencyKey.For(n)));
        var model = new LatencyLutCostModel(copy ?? tablePath, policy, new LatencyProfiler(table.Threads, table.BatchSize));
        CostReport report;
        try
        {
            report = model.Estimate(graph, new CostContext { Threads = table.Threads, BatchSize = table.BatchSize });
        }
        catch (CostModelException e)
        {
            throw new InvalidOperationException($"compress: latency table {tablePath}: {e.Message}", e);
        }
        CostMeasurement.Add(metrics, model.Id, CostMetrics.LatencyMs, report[CostMetrics.LatencyMs]);
        metrics["latency_missing_layers"] = missing;
        return copy;
    }

    /// <summary>Metric key of the final model's latency timed end to end on this machine.</summary>
    public const string MeasuredMetric = "latency_ms_measured";

    /// <summary>
    /// Times the final model end to end at the table's thread count and batch size (warm-up, median) and adds
    /// <see cref="MeasuredMetric"/>. The weights do not matter for dense timing, so the model is realised fresh.
    /// </summary>
    public static void Measure(IDictionary<string, double> metrics, ModelGraph graph, string tablePath)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var table = File.Exists(tablePath) ? LatencyTable.Load(tablePath) : new LatencyTable { Threads = 1, BatchSize = 1 };
        using var model = new AutoCompress.Training.Graph.GraphModel(graph);
        metrics[MeasuredMetric] = new LatencyProfiler(table.Threads, table.BatchSize).MeasureModel(model);
    }
}
