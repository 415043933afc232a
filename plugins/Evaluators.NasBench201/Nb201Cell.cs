namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// One architecture of the NAS-Bench-201 table: its cell, its 200-epoch CIFAR-10 results and its latency on each
/// device of the latency table. Accuracies are kept in percent, exactly as the table stores them; the evaluator's
/// metrics turn them into fractions (see <see cref="Nb201Metrics"/>).
/// </summary>
public sealed class Nb201Cell
{
    internal Nb201Cell(int index, string arch, int[] ops, double trainAccuracy, double validationAccuracy, double testAccuracy,
        long parameters, long macs)
    {
        Index = index;
        Arch = arch;
        this.ops = ops;
        TrainAccuracyPercent = trainAccuracy;
        ValidationAccuracyPercent = validationAccuracy;
        TestAccuracyPercent = testAccuracy;
        Parameters = parameters;
        Macs = macs;
        Code = Nb201Arch.Code(ops);
    }

    private readonly int[] ops;
    private double[] latencies = [];

    /// <summary>The benchmark index, 0–15624.</summary>
    public int Index { get; }

    /// <summary>The canonical architecture string <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>.</summary>
    public string Arch { get; }

    /// <summary>The op on each edge, in <see cref="Nb201Arch.EdgeNames"/> order, as positions in <see cref="Nb201Arch.Ops"/>.</summary>
    public IReadOnlyList<int> Ops => ops;

    /// <summary>The base-5 code of <see cref="Ops"/> (edge 0 is the lowest digit); see <see cref="Nb201Arch.Code"/>.</summary>
    public int Code { get; }

    /// <summary><c>cifar10valid_train_acc</c>: accuracy on the 25k training split it was trained on, in percent.</summary>
    public double TrainAccuracyPercent { get; }

    /// <summary><c>cifar10valid_xvalid_acc</c>: accuracy on the 25k held-out split, in percent. The search signal.</summary>
    public double ValidationAccuracyPercent { get; }

    /// <summary><c>cifar10_oritest_acc</c>: trained on all 50k images, accuracy on the 10k test set, in percent. The reported number.</summary>
    public double TestAccuracyPercent { get; }

    /// <summary><c>params_cifar10</c>: exact parameter count, batch-norm affine weights included.</summary>
    public long Parameters { get; }

    /// <summary><c>flops_cifar10</c>: multiply-accumulates of the Conv2d and Linear layers for one 32×32 image.</summary>
    public long Macs { get; }

    /// <summary>Milliseconds per inference (batch 1) on each device of <see cref="Nb201Table.Devices"/>, in that order.</summary>
    public IReadOnlyList<double> LatencyMs => latencies;

    internal void SetLatencies(double[] values) => latencies = values;
}
