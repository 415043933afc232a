using AutoCompress.Contracts.Models;

namespace AutoCompress.Contracts.Costs;

/// <summary>Names of the metrics cost models report.</summary>
public static class CostMetrics
{
    /// <summary>Multiply-accumulates of conv and linear layers for a batch of <see cref="CostContext.BatchSize"/>, a bias add counting as one (NAS-Bench-201's convention).</summary>
    public const string Macs = "macs";
    /// <summary>Trainable parameters, batch-norm affine weights included, running statistics not.</summary>
    public const string Params = "params";
    /// <summary>Bytes to store the weights at their bit widths, sparse-format index overhead included.</summary>
    public const string WeightBytes = "weight_bytes";
    /// <summary>Peak bytes of live activations for a sequential execution of a batch of <see cref="CostContext.BatchSize"/>.</summary>
    public const string PeakActivationBytes = "peak_activation_bytes";
    /// <summary>Inference latency in milliseconds on the context's device.</summary>
    public const string LatencyMs = "latency_ms";
}

/// <summary>Where and how costs are asked for.</summary>
public sealed record CostContext
{
    /// <summary>The machine AutoCompress runs on.</summary>
    public const string LocalDevice = "local";

    /// <summary>Target device: <see cref="LocalDevice"/> or a device a cost model declares.</summary>
    public string Device { get; init; } = LocalDevice;
    public int BatchSize { get; init; } = 1;
    /// <summary>Intra-op threads on the device (for measured latencies).</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>One layer's share of the costs.</summary>
public sealed record LayerCost(string LayerId, IReadOnlyDictionary<string, double> Values);

/// <summary>What a cost model computed: totals and, where it knows them, per-layer values.</summary>
public sealed record CostReport(string CostModel, IReadOnlyDictionary<string, double> Totals, IReadOnlyList<LayerCost> Layers)
{
    public double this[string metric] => Totals.TryGetValue(metric, out var v)
        ? v : throw new KeyNotFoundException($"cost model '{CostModel}' reported no '{metric}' (it reports {string.Join(", ", Totals.Keys)})");
}

/// <summary>The reason a cost model cannot answer for a model or device.</summary>
public sealed class CostModelException : Exception
{
    public CostModelException() : base("the cost model cannot answer") { }

    public CostModelException(string message) : base(message) { }

    public CostModelException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Turns a validated model into costs. A cost model declares the metrics and devices it answers for;
/// anything else fails with a <see cref="CostModelException"/> saying why.
/// </summary>
public abstract class CostModel
{
    /// <summary>Stable name, e.g. "macs".</summary>
    public abstract string Id { get; }

    /// <summary>The metrics every report of this model contains.</summary>
    public abstract IReadOnlyList<string> Metrics { get; }

    /// <summary>Devices it answers for; <see cref="CostContext.LocalDevice"/> where it measures this machine.
    /// Device-independent models (counts) answer for any device.</summary>
    public virtual IReadOnlyList<string>? Devices => null;

    public CostReport Estimate(ModelGraph model, CostContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        context ??= new CostContext();
        if (Devices is { } devices && !devices.Contains(context.Device))
            throw new CostModelException($"cost model '{Id}' has no data for device '{context.Device}'; it knows {string.Join(", ", devices)}");
        return Compute(model, context);
    }

    protected abstract CostReport Compute(ModelGraph model, CostContext context);
}
