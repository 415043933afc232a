namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// Whether a smaller or a larger objective is better. Schedulers rank every rung by it, so the same code serves
/// a loss (minimize) and an accuracy (maximize) without the caller negating values.
/// </summary>
public enum OptimizationDirection
{
    /// <summary>Smaller objectives are better (a loss, an error rate, a cost).</summary>
    Minimize,
    /// <summary>Larger objectives are better (an accuracy, a reward).</summary>
    Maximize,
}
