using System.Diagnostics;
using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.CostModels.Latency;

/// <summary>
/// Measures latencies on this machine with libtorch: one layer at a time (for the lookup table)
/// or a whole realised model (the ground truth the table is checked against). Eval mode, no
/// gradients, warm-up runs first, then the median of the timed runs.
/// </summary>
public sealed class LatencyProfiler(int threads = 1, int batchSize = 1, int warmup = 10, int minRepeats = 30, double minMillis = 60)
{
    public int Threads { get; } = threads;
    public int BatchSize { get; } = batchSize;
    public int Warmup { get; } = warmup;
    public int MinRepeats { get; } = minRepeats;

    /// <summary>Median milliseconds of one layer, run through the executor a realised model uses.</summary>
    public LatencyEntry MeasureLayer(GraphNode node)
    {
        using var scope = TorchEngine.NewDisposeScope();
        var exec = LayerExecutor.Create(node);
        try
        {
            exec.Module?.Eval();
            var inputs = node.InputShapes.Select(s => Tensor.Randn([BatchSize, .. s.ToArray()])).ToList();
            var (ms, n) = Time(() =>
            {
                using var step = TorchEngine.NewDisposeScope();
                exec.Run(inputs);
            });
            return new LatencyEntry(ms, n, Work(node));
        }
        finally
        {
            exec.Module?.Dispose();
        }
    }

    /// <summary>Median milliseconds of a whole forward pass of <paramref name="model"/>.</summary>
    public double MeasureModel(GraphModel model)
    {
        using var scope = TorchEngine.NewDisposeScope();
        model.Eval();
        var x = Tensor.Randn([BatchSize, .. model.Graph.InputShape.ToArray()]);
        return Time(() =>
        {
            using var step = TorchEngine.NewDisposeScope();
            model.Forward(x);
        }).Ms;
    }

    /// <summary>Per-forward time of the graph machinery itself: a one-identity model minus its layer.</summary>
    public double MeasureOverhead()
    {
        var d = new ModelDescription { InputShape = [1, 1, 1], Layers = [new IdentityLayer { Id = "id" }] };
        using var model = new GraphModel(d);
        var whole = MeasureModel(model);
        var layer = MeasureLayer(model.Graph.Order[0]).MedianMs;
        return Math.Max(0, whole - layer);
    }

    private (double Ms, int Repeats) Time(Action run)
    {
        var previous = TorchEngine.Threads;
        TorchEngine.Threads = Threads;
        try
        {
            using var noGrad = TorchEngine.NoGrad();
            for (var i = 0; i < Warmup; i++) run();
            var samples = new List<double>(MinRepeats);
            var total = Stopwatch.StartNew();
            while (samples.Count < MinRepeats || (total.Elapsed.TotalMilliseconds < minMillis && samples.Count < 10_000))
            {
                var t0 = Stopwatch.GetTimestamp();
                run();
                samples.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            samples.Sort();
            return (samples[samples.Count / 2], samples.Count);
        }
        finally
        {
            TorchEngine.Threads = previous;
        }
    }

    /// <summary>The amount of work a layer does, for scaling a measured neighbour: MACs for conv/linear, elements otherwise.</summary>
    public static double Work(GraphNode node) => node.Layer switch
    {
        Conv2dLayer c => (double)node.OutputShape.Elements * (node.InputShape.Channels / c.Groups) * c.Kernel * c.Kernel,
        LinearLayer => (double)node.InputShape.Channels * node.OutputShape.Channels,
        _ => node.InputShapes.Sum(s => (double)s.Elements) + node.OutputShape.Elements,
    };
}
