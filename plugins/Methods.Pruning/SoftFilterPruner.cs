using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Asymptotic soft filter pruning (He et al. 2018, 2019) as a training hook. Every
/// <see cref="SoftPruningOptions.Interval"/> steps it re-ranks each group's channels and suppresses
/// the currently lowest ones: their producers' filters and biases are multiplied by
/// <see cref="SoftPruningOptions.Decay"/> (0 zeroes them). As in SFP only the filters that create the
/// channel are suppressed; the batch norms and depthwise filters that carry it are left alone, because
/// zeroing them too would cut the channel's gradient path (nothing reaches a filter behind γ = 0 or a
/// zero depthwise filter), whereas a zeroed filter in front of a batch norm in training mode still
/// receives gradient through the normalisation. Nothing is masked between updates, so suppressed
/// filters keep training and can grow back if they matter. The rate
/// follows r_t = R·(1 − e^(−k·t/T)) / (1 − e^(−k)): steep at first, reaching the target R exactly at
/// the last step T (the normalisation makes the schedule end where the hard pruning that follows starts).
/// </summary>
public sealed class SoftFilterPruner
{
    private readonly GraphModel model;
    private readonly ChannelDependencies dependencies;
    private readonly IReadOnlyDictionary<int, double> targetRatios;
    private readonly ImportanceCriterion criterion;
    private readonly long totalSteps;
    private readonly SoftPruningOptions options;
    private readonly Dictionary<string, Tensor> parameters;
    private readonly Dictionary<string, Tensor> buffers;
    private readonly TaylorImportance? taylor;
    private readonly Dictionary<int, int[]> suppressed = new();

    /// <param name="model">The model being fine-tuned (realising the analysed description).</param>
    /// <param name="dependencies">Its channel groups.</param>
    /// <param name="targetRatios">Final ratio R per prunable group.</param>
    /// <param name="criterion">How channels are ranked at each update (Taylor accumulates the training gradients between updates).</param>
    /// <param name="totalSteps">Optimizer steps of the soft phase (T).</param>
    /// <param name="options">Interval, decay, schedule steepness.</param>
    public SoftFilterPruner(GraphModel model, ChannelDependencies dependencies, IReadOnlyDictionary<int, double> targetRatios,
        ImportanceCriterion criterion, long totalSteps, SoftPruningOptions options)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.dependencies = dependencies ?? throw new ArgumentNullException(nameof(dependencies));
        this.targetRatios = targetRatios ?? throw new ArgumentNullException(nameof(targetRatios));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        if (totalSteps < 1) throw new ArgumentException($"the soft phase needs at least one step, got {totalSteps}", nameof(totalSteps));
        if (options.Interval < 1) throw new ArgumentException($"interval must be >= 1, got {options.Interval}", nameof(options));
        if (options.Decay is < 0 or >= 1) throw new ArgumentException($"decay must be in [0, 1), got {options.Decay}", nameof(options));
        if (!(options.ScheduleK > 0)) throw new ArgumentException($"schedule k must be > 0, got {options.ScheduleK}", nameof(options));
        this.criterion = criterion;
        this.totalSteps = totalSteps;
        parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        buffers = model.NamedBuffers().ToDictionary(p => p.Name, p => p.Tensor);
        if (criterion == ImportanceCriterion.Taylor) taylor = new TaylorImportance(model, dependencies);
    }

    /// <summary>Updates done so far.</summary>
    public int Updates { get; private set; }

    /// <summary>The channels suppressed at the last update, per group.</summary>
    public IReadOnlyDictionary<int, int[]> Suppressed => suppressed;

    private bool DirectlyBehindProducer(string layerId, int group)
    {
        var from = dependencies.Graph[layerId].InputIds[0];
        return dependencies.GroupOf(from) is { } g && g.Id == group && dependencies.RoleOf(from) == ChannelRole.Producer;
    }

    private static void Scale(Tensor t, int offset, int count, Tensor factor)
    {
        var rows = t.Narrow(0, offset, count);
        rows.MulInPlace(rows.Dim == 1 ? factor : factor.Reshape([count, .. Enumerable.Repeat(1L, rows.Dim - 1)]));
    }

    /// <summary>Share of the target ratio reached after <paramref name="step"/> steps: (1 − e^(−k·t/T)) / (1 − e^(−k)).</summary>
    public double Schedule(long step)
    {
        var x = Math.Clamp((double)step / totalSteps, 0, 1);
        var k = options.ScheduleK;
        return (1 - Math.Exp(-k * x)) / (1 - Math.Exp(-k));
    }

    /// <summary>The training hook: call after every optimizer step with its index (0-based), as <c>TrainingHooks.AfterStep</c> does.</summary>
    public void AfterStep(long step)
    {
        taylor?.Accumulate();
        var t = step + 1;
        if (t % options.Interval != 0 && t != totalSteps) return;
        if (taylor is { Batches: 0 }) return;
        var scores = taylor is not null ? taylor.Scores : FilterImportance.ForGroups(model, dependencies, criterion);
        var share = Schedule(t);
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        foreach (var (g, ratio) in targetRatios)
        {
            var group = dependencies.Groups[g];
            var count = PruningRatios.RemoveCount(group.Channels, ratio * share);
            var lowest = ChannelPlan.LowestFirst(scores[g]).Take(count).Order().ToArray();
            suppressed[g] = lowest;
            if (lowest.Length == 0) continue;
            var factor = Enumerable.Repeat(1f, group.Channels).ToArray();
            foreach (var c in lowest) factor[c] = (float)options.Decay;
            var f = Tensor.FromArray(factor);
            foreach (var slice in group.Slices.Where(s => s.Role == ChannelRole.Producer))
                foreach (var local in new[] { "weight", "bias" })
                    if (parameters.TryGetValue($"{slice.LayerId}.{local}", out var p)) Scale(p, slice.Offset, group.Channels, f);
            // A batch norm right behind a producer now sees its input scaled by the factor: scale its running
            // statistics to match, so evaluation treats a suppressed channel as training does (γ·0 + β).
            var squared = f.Mul(f);
            foreach (var slice in group.Slices.Where(s => s.Role == ChannelRole.BatchNorm && DirectlyBehindProducer(s.LayerId, g)))
            {
                Scale(buffers[$"{slice.LayerId}.running_mean"], slice.Offset, group.Channels, f);
                Scale(buffers[$"{slice.LayerId}.running_var"], slice.Offset, group.Channels, squared);
            }
        }
        taylor?.Reset();
        Updates++;
    }
}
