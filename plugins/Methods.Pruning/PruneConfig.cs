using System.ComponentModel.DataAnnotations;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Configuration of the "prune" method. Every knob a search strategy may vary is here, with its
/// range, so the schema alone tells a UI or a search space what is allowed. Checks that need the
/// model (layer ids in <see cref="LayerRatios"/>, a reachable MAC target) happen when the method runs.
/// </summary>
public sealed record PruneConfig
{
    [Display(Description = "structured: remove whole filters/channels (smaller dense network); unstructured: zero single weights")]
    public PruneMode Mode { get; init; } = PruneMode.Structured;

    [Range(0.0, 0.99)]
    [Display(Description = "Fraction of each prunable layer's filters (structured) or weights (unstructured) to remove")]
    public double Ratio { get; init; } = 0.5;

    [Display(Description = "Per-layer ratios overriding 'ratio': layer id -> fraction in [0, 0.99]; only prunable conv2d/linear layers may be named")]
    public IReadOnlyDictionary<string, double> LayerRatios { get; init; } = new Dictionary<string, double>();

    [Display(Description = "Structured: how filters are ranked (l1, l2, fpgm = geometric median, taylor = first-order Taylor on training batches)")]
    public ImportanceCriterion Criterion { get; init; } = ImportanceCriterion.L1;

    [Display(Description = "Unstructured: one threshold per layer, or one global magnitude threshold over all prunable layers")]
    public PruneScope Scope { get; init; } = PruneScope.Layer;

    [Range(0.0, 0.99)]
    [Display(Description = "Structured budget mode: remove at least this fraction of the MACs (smallest uniform ratio that meets it); replaces 'ratio'")]
    public double? TargetMacReduction { get; init; }

    [Range(1.0, 1e15)]
    [Display(Description = "Structured budget mode: at most this many MACs per image (smallest uniform ratio that meets it); replaces 'ratio'")]
    public long? TargetMacs { get; init; }

    [Range(0.0, 1000.0)]
    [Display(Description = "Fine-tuning epochs after pruning (fractions train on a share of the data); default: the context's budget")]
    public double? FineTuneEpochs { get; init; }

    [Display(Description = "Structured: asymptotic soft filter pruning during fine-tuning before the filters are removed for real")]
    public bool Soft { get; init; }

    [Range(1, 1_000_000)]
    [Display(Description = "Soft pruning: optimizer steps between re-ranking and re-zeroing the lowest filters")]
    public int SoftInterval { get; init; } = 50;

    [Range(0.0, 0.999)]
    [Display(Description = "Soft pruning: factor applied to the currently pruned filters (0 = zero them)")]
    public double SoftDecay { get; init; }

    [Range(0.1, 20.0)]
    [Display(Description = "Soft pruning: steepness k of the asymptotic schedule r_t = R (1 - exp(-k t/T)) / (1 - exp(-k))")]
    public double SoftScheduleK { get; init; } = 4;

    [Range(0.0, 0.9)]
    [Display(Description = "Soft pruning: share of the fine-tuning epochs kept for training after the filters are removed")]
    public double SoftFinetuneFraction { get; init; } = 0.25;

    [Range(1, 10_000)]
    [Display(Description = "Taylor criterion: training minibatches whose gradients are accumulated")]
    public int TaylorBatches { get; init; } = 8;
}
