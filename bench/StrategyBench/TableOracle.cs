using System.Text.Json.Nodes;
using AutoCompress.Evaluators.NasBench201;
using AutoCompress.Search.Spaces;

namespace AutoCompress.StrategyBench;

/// <summary>
/// Answers a strategy's configurations from the NAS-Bench-201 table, as the "nb201" evaluator would, but hands the
/// strategy only what a search may see: the validation accuracy and the costs, never the test (or training) accuracy.
/// </summary>
internal sealed class TableOracle(Nb201Table table)
{
    public Nb201Table Table { get; } = table;

    /// <summary>The cell a configuration of <see cref="Nb201SearchSpace"/> names.</summary>
    public Nb201Cell Cell(JsonObject config)
    {
        var ops = Nb201SearchSpace.ToOps(config);
        var positions = new int[ops.Length];
        for (var e = 0; e < ops.Length; e++) positions[e] = Nb201Arch.OpIndex(ops[e]);
        return Table.Find(positions);
    }

    /// <summary>The metrics told to the strategy: the evaluator's, without test and training accuracy.</summary>
    public Dictionary<string, double> Visible(Nb201Cell cell)
    {
        var metrics = Nb201Metrics.For(Table, cell);
        metrics.Remove(Nb201Metrics.TestAccuracy);
        metrics.Remove(Nb201Metrics.TrainAccuracy);
        return metrics;
    }
}
