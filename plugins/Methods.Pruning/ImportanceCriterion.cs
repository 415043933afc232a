namespace AutoCompress.Methods.Pruning;

/// <summary>How structured pruning ranks the filters (output channels) of a layer; the lowest are removed.</summary>
public enum ImportanceCriterion
{
    /// <summary>Sum of absolute filter weights (Li et al. 2017).</summary>
    L1,

    /// <summary>Euclidean norm of the filter weights.</summary>
    L2,

    /// <summary>
    /// Filter pruning via geometric median (He et al. 2019): a filter whose summed distance to the
    /// layer's other filters is small lies near their geometric median, so the others can stand in
    /// for it; small norm is not required.
    /// </summary>
    Fpgm,

    /// <summary>
    /// First-order Taylor estimate of the loss change when the channel is removed (Molchanov et al.
    /// 2019): (Σ w·∂L/∂w over the channel's weights and batch-norm γ/β)², accumulated over minibatches.
    /// </summary>
    Taylor,
}
