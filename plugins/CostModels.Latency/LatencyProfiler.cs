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
            }, () =>
            {
                // Other layers run, then the input is touched, as if the previous layer had just written it.
                Interference();
                using var touch = TorchEngine.NewDisposeScope();
                foreach (var x in inputs) x.Sum();
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

    // Between timed runs of one layer, other work runs, as other layers do inside a network: it
    // exercises other kernels, changes the allocator's state and evicts the layer's weights; the
    // layer's input is then touched again because inside a network it was just written. Without it a layer timed in a tight loop is unrealistically warm (small
    // ops measured ~2x faster alone than inside a MobileNetV2 chain).
    private Action? interference;

    private Action Interference => interference ??= CreateInterference();

    private Action CreateInterference()
    {
        var a = Tensor.Randn([BatchSize, 32, 28, 28]).DetachFromScope();
        var w = Tensor.Randn([32, 32, 1, 1]).DetachFromScope();
        var bnMean = Tensor.Zeros([32]).DetachFromScope();
        var bnVar = Tensor.Ones([32]).DetachFromScope();
        return () =>
        {
            using var scope = TorchEngine.NewDisposeScope();
            var y = Functional.Conv2d(a, w);
            y = Functional.BatchNorm(y, bnMean, bnVar).Relu6();
            _ = y.Add(a).Sum();
        };
    }

    private (double Ms, int Repeats) Time(Action run, Action? between = null)
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
                between?.Invoke();
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
