namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// The order of a rung's reported trials, best first: completed ones by objective in the scheduler's direction, then
/// failed ones; equal objectives (and failures among themselves) go by trial key, i.e. the trial handed out first
/// wins. A total, deterministic order so that promotions never depend on sort stability or hash order.
/// </summary>
internal sealed class TrialRanking(OptimizationDirection direction) : IComparer<FidelityTrial>
{
    public int Compare(FidelityTrial? x, FidelityTrial? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var xFailed = x.Status != FidelityTrialStatus.Completed;
        var yFailed = y.Status != FidelityTrialStatus.Completed;
        if (xFailed != yFailed) return xFailed ? 1 : -1;
        if (!xFailed)
        {
            var c = x.Objective!.Value.CompareTo(y.Objective!.Value);
            if (c != 0) return direction == OptimizationDirection.Maximize ? -c : c;
        }
        return x.Key.CompareTo(y.Key);
    }
}
