using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;

namespace AutoCompress.CostModels.Latency;

/// <summary>What the predictor does with a layer whose key is not in the table.</summary>
public enum MissingKeyPolicy
{
    /// <summary>Measure it on this machine and add it to the table (saved when a path is set).</summary>
    Measure,
    /// <summary>Scale the entry of the same op family whose work is closest, by the ratio of work.</summary>
    Interpolate,
    /// <summary>Fail, naming the key.</summary>
    Fail,
}

/// <summary>
/// Predicts a model's latency on this machine as the sum of its layers' lookup-table entries plus
/// the per-forward overhead, as ProxylessNAS and FBNet do. Keys it lacks are measured (and
/// remembered) or interpolated, per <see cref="MissingKeyPolicy"/>.
/// </summary>
public sealed class LatencyLutCostModel : CostModel
{
    private readonly string? path;
    private readonly LatencyProfiler profiler;
    private readonly Lock gate = new();

    /// <summary>Uses the table at <paramref name="tablePath"/> (created on first save if absent), or an in-memory one.</summary>
    public LatencyLutCostModel(string? tablePath = null, MissingKeyPolicy policy = MissingKeyPolicy.Measure, LatencyProfiler? profiler = null)
    {
        path = tablePath;
        Policy = policy;
        this.profiler = profiler ?? new LatencyProfiler();
        Table = tablePath is not null && File.Exists(tablePath)
            ? LatencyTable.Load(tablePath)
            : new LatencyTable
            {
                Threads = this.profiler.Threads, BatchSize = this.profiler.BatchSize, Engine = $"libtorch {TorchEngine.Version}",
                Warmup = this.profiler.Warmup, MinRepeats = this.profiler.MinRepeats,
            };
        if (Table.Threads != this.profiler.Threads || Table.BatchSize != this.profiler.BatchSize)
            throw new CostModelException(
                $"{tablePath}: table was measured with {Table.Threads} thread(s) at batch {Table.BatchSize}, the profiler uses {this.profiler.Threads} at batch {this.profiler.BatchSize}");
    }

    public override string Id => "latency-lut";
    public override IReadOnlyList<string> Metrics { get; } = [CostMetrics.LatencyMs];
    public override IReadOnlyList<string>? Devices { get; } = [CostContext.LocalDevice];

    public MissingKeyPolicy Policy { get; }
    public LatencyTable Table { get; }

    /// <summary>Keys measured by this instance so far (missing keys under <see cref="MissingKeyPolicy.Measure"/>).</summary>
    public int Measured { get; private set; }

    protected override CostReport Compute(ModelGraph model, CostContext context)
    {
        if (context.Threads != Table.Threads || context.BatchSize != Table.BatchSize)
            throw new CostModelException(
                $"the latency table is for {Table.Threads} thread(s) at batch {Table.BatchSize}, asked for {context.Threads} at batch {context.BatchSize}");
        lock (gate)
        {
            var layers = new List<LayerCost>(model.Order.Count);
            double total = Table.OverheadMs;
            var changed = false;
            if (Policy == MissingKeyPolicy.Measure && Table.OverheadMs == 0)
            {
                Table.OverheadMs = profiler.MeasureOverhead();
                total = Table.OverheadMs;
                changed = true;
            }
            foreach (var node in model.Order)
            {
                var key = LatencyKey.For(node);
                double ms;
                if (Table.Entries.TryGetValue(key, out var e)) ms = e.MedianMs;
                else
                {
                    switch (Policy)
                    {
                        case MissingKeyPolicy.Measure:
                            var m = profiler.MeasureLayer(node);
                            Table.Entries[key] = m;
                            Measured++;
                            changed = true;
                            ms = m.MedianMs;
                            break;
                        case MissingKeyPolicy.Interpolate:
                            ms = Interpolate(key, LatencyProfiler.Work(node));
                            break;
                        default:
                            throw new CostModelException($"layer '{node.Id}': no latency entry for key '{key}'");
                    }
                }
                total += ms;
                layers.Add(new LayerCost(node.Id, new Dictionary<string, double> { [CostMetrics.LatencyMs] = ms }));
            }
            if (changed && path is not null) Table.Save(path);
            return new CostReport(Id, new Dictionary<string, double> { [CostMetrics.LatencyMs] = total }, layers);
        }
    }

    private double Interpolate(string key, double work)
    {
        var family = LatencyKey.Family(key);
        var best = Table.Entries.Where(kv => LatencyKey.Family(kv.Key) == family && kv.Value.Work > 0)
            .OrderBy(kv => Math.Abs(Math.Log(kv.Value.Work / work)))
            .Select(kv => kv.Value).FirstOrDefault()
            ?? throw new CostModelException($"no latency entry for key '{key}' and none of its family '{family}' to interpolate from");
        return best.MedianMs * work / best.Work;
    }
}
