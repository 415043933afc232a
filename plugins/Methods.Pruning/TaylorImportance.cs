using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Training;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// First-order Taylor importance (Molchanov et al. 2019). Removing channel c of a group zeroes every
/// parameter tied to it – the producers' filters and biases, the batch norms' γ and β, the depthwise
/// filters – so the loss changes by about Σ w·∂L/∂w over those parameters. The importance is that
/// sum squared, accumulated over minibatches. Reads the gradients currently held by the model's
/// parameters, so it works both on dedicated batches (<see cref="Measure"/>) and inside a training
/// step (soft pruning).
/// </summary>
public sealed class TaylorImportance
{
    private readonly ChannelDependencies dependencies;
    private readonly Dictionary<string, Tensor> parameters;
    private readonly Dictionary<int, double[]> scores = new();

    public TaylorImportance(GraphModel model, ChannelDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.dependencies = dependencies ?? throw new ArgumentNullException(nameof(dependencies));
        parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        Reset();
    }

    /// <summary>Minibatches accumulated since the last <see cref="Reset"/>.</summary>
    public int Batches { get; private set; }

    /// <summary>Accumulated score per channel of every prunable group.</summary>
    public IReadOnlyDictionary<int, double[]> Scores => scores;

    public void Reset()
    {
        Batches = 0;
        foreach (var g in dependencies.Groups.Where(g => g.Prunable)) scores[g.Id] = new double[g.Channels];
    }

    /// <summary>Adds (Σ w·grad)² per channel from the gradients the parameters hold now.</summary>
    public void Accumulate()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        foreach (var group in dependencies.Groups.Where(g => g.Prunable))
        {
            Tensor? sum = null;
            foreach (var slice in group.Slices)
                foreach (var local in new[] { "weight", "bias" })
                {
                    if (!parameters.TryGetValue($"{slice.LayerId}.{local}", out var p) || p.Grad is not { } grad) continue;
                    var contribution = p.Narrow(0, slice.Offset, group.Channels).Mul(grad.Narrow(0, slice.Offset, group.Channels));
                    if (contribution.Dim > 1) contribution = contribution.Sum(Enumerable.Range(1, contribution.Dim - 1).Select(d => (long)d).ToArray());
                    sum = sum is null ? contribution : sum.Add(contribution);
                }
            if (sum is null) continue;
            var squared = sum.Square().To(DType.Float32).ToArray<float>();
            var total = scores[group.Id];
            for (var c = 0; c < total.Length; c++) total[c] += squared[c];
        }
        Batches++;
    }

    /// <summary>
    /// Scores every prunable group of <paramref name="model"/> on <paramref name="batches"/> shuffled
    /// minibatches of <paramref name="data"/> (cross-entropy, model in eval mode so batch-norm statistics
    /// and dropout do not change). Gradients are cleared afterwards.
    /// </summary>
    public static Dictionary<int, double[]> Measure(GraphModel model, ChannelDependencies dependencies, DataSubset data,
        Normalization normalization, int batches, int batchSize, int seed, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batches < 1) throw new ArgumentException($"at least one batch is needed, got {batches}", nameof(batches));
        var taylor = new TaylorImportance(model, dependencies);
        var loader = new BatchLoader(data, new BatchLoaderOptions { BatchSize = batchSize, Shuffle = true, Seed = seed, Normalization = normalization });
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            for (var epoch = 0; taylor.Batches < batches; epoch++)
                foreach (var batch in loader.Epoch(epoch))
                {
                    cancel.ThrowIfCancellationRequested();
                    using var scope = TorchEngine.NewDisposeScope();
                    var (x, y) = batch.ToTensors();
                    var loss = Functional.CrossEntropy(model.Forward(x), y);
                    model.ZeroGrad();
                    loss.Backward();
                    taylor.Accumulate();
                    if (taylor.Batches >= batches) break;
                }
        }
        finally
        {
            model.ZeroGrad();
            if (wasTraining) model.Train();
        }
        return taylor.scores.ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
