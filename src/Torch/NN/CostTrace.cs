namespace AutoCompress.Torch.NN;

/// <summary>
/// Records the multiply-accumulates of every convolution and linear layer during one forward
/// pass, as a measurement of the actual network (not a formula kept beside it).
/// </summary>
public sealed class CostTrace : IDisposable
{
    private static readonly AsyncLocal<CostTrace?> current = new();
    private readonly CostTrace? outer;
    private readonly List<(Module Layer, long Macs)> entries = new();

    private CostTrace()
    {
        outer = current.Value;
        current.Value = this;
    }

    internal static CostTrace? Current => current.Value;

    /// <summary>Per layer, in execution order.</summary>
    public IReadOnlyList<(Module Layer, long Macs)> Entries => entries;

    /// <summary>Total multiply-accumulates per sample.</summary>
    public long TotalMacs => entries.Sum(e => e.Macs);

    internal void Record(Module layer, long macs) => entries.Add((layer, macs));

    /// <summary>Runs one forward pass of a single sample with shape <paramref name="inputShape"/> (without the batch dimension).</summary>
    public static CostTrace Measure(Module model, params long[] inputShape)
    {
        var trace = new CostTrace();
        var wasTraining = model.Training;
        try
        {
            using var scope = TorchEngine.NewDisposeScope();
            using var noGrad = TorchEngine.NoGrad();
            model.Eval();
            using var x = Tensor.Zeros([1, .. inputShape]);
            model.Forward(x);
        }
        finally
        {
            if (wasTraining) model.Train();
            trace.Dispose();
        }
        return trace;
    }

    public void Dispose()
    {
        if (ReferenceEquals(current.Value, this)) current.Value = outer;
    }
}
