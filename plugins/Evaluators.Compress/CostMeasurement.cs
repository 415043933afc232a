using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// Adds cost-model metrics of the final model to a trial's metrics. Cost models answer from the
/// description alone (shapes, kept channels, bit widths, sparsity), for a batch of one on the local device.
/// <para>
/// <b>Naming.</b> A cost model's total keeps its own name ("params", "weight_bytes", "peak_activation_bytes",
/// "latency_ms", ...) unless the trial already has a metric of that name, from the last step or an earlier cost
/// model; then it is stored as "&lt;cost model id&gt;_&lt;metric&gt;" (e.g. "counts_macs": the Counts plugin counts a
/// bias add as a MAC, the methods' "macs" from the traced forward pass does not). The methods' metrics are never
/// overwritten.
/// </para>
/// </summary>
public static class CostMeasurement
{
    /// <summary>Runs every cost model on <paramref name="graph"/> and adds its totals to <paramref name="metrics"/>.</summary>
    public static void Add(IDictionary<string, double> metrics, ModelGraph graph, IEnumerable<CostModel> costModels)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(costModels);
        foreach (var model in costModels)
        {
            CostReport report;
            try
            {
                report = model.Estimate(graph, new CostContext());
            }
            catch (CostModelException e)
            {
                throw new InvalidOperationException($"compress: cost model '{model.Id}' cannot answer for the final model: {e.Message}", e);
            }
            foreach (var (name, value) in report.Totals) Add(metrics, model.Id, name, value);
        }
    }

    /// <summary>Adds one cost metric under its own name, or under "&lt;cost model&gt;_&lt;name&gt;" when the name is taken.</summary>
    public static string Add(IDictionary<string, double> metrics, string costModel, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(costModel);
        var key = metrics.ContainsKey(name) ? $"{costModel.Replace('-', '_')}_{name}" : name;
        metrics[key] = value;
        return key;
    }
}
