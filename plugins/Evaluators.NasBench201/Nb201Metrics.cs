namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// The metrics the "nb201" evaluator reports, named as every other evaluator names them. Accuracies are fractions
/// (0..1), like the training evaluators' (the table's percentages divided by 100), so the same objectives and
/// constraints work on the benchmark and on real training.
/// </summary>
public static class Nb201Metrics
{
    /// <summary><c>cifar10valid_xvalid_acc</c> / 100: what a search should optimise.</summary>
    public const string ValidationAccuracy = "validation_accuracy";

    /// <summary><c>cifar10_oritest_acc</c> / 100: what is reported, never a search signal.</summary>
    public const string TestAccuracy = "test_accuracy";

    /// <summary><c>cifar10valid_train_acc</c> / 100.</summary>
    public const string TrainAccuracy = "train_accuracy";

    /// <summary><c>params_cifar10</c>.</summary>
    public const string Parameters = "parameters";

    /// <summary><c>flops_cifar10</c>, which despite its name counts multiply-accumulates (NAS-Bench-201's "FLOPs" × 1e6).</summary>
    public const string Macs = "macs";

    /// <summary>The benchmark index of the evaluated cell, so results can be traced back to the table.</summary>
    public const string Index = "nb201_index";

    /// <summary>Prefix of the per-device latencies: <c>latency_ms_&lt;device&gt;</c>, milliseconds per image at batch 1.</summary>
    public const string LatencyPrefix = "latency_ms_";

    /// <summary>The latency metric of <paramref name="device"/>, e.g. <c>latency_ms_pixel3</c>.</summary>
    public static string Latency(string device) => LatencyPrefix + device;

    /// <summary>Every metric of <paramref name="cell"/>, with the devices of <paramref name="table"/>.</summary>
    public static Dictionary<string, double> For(Nb201Table table, Nb201Cell cell)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cell);
        var metrics = new Dictionary<string, double>(6 + table.Devices.Count, StringComparer.Ordinal)
        {
            [ValidationAccuracy] = cell.ValidationAccuracyPercent / 100,
            [TestAccuracy] = cell.TestAccuracyPercent / 100,
            [TrainAccuracy] = cell.TrainAccuracyPercent / 100,
            [Parameters] = cell.Parameters,
            [Macs] = cell.Macs,
            [Index] = cell.Index,
        };
        for (var d = 0; d < table.Devices.Count; d++) metrics[Latency(table.Devices[d])] = cell.LatencyMs[d];
        return metrics;
    }
}
