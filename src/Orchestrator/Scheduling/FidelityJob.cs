namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// A trial the caller should run now. When <see cref="IsNewConfiguration"/> the caller asks its search strategy
/// for a fresh configuration and remembers it under <see cref="ConfigurationId"/>; otherwise it runs the
/// configuration it already has under that id at the larger <see cref="Resource"/>, and may resume from the
/// checkpoint of trial <see cref="ParentTrialKey"/> (trained to <see cref="ParentResource"/>) instead of
/// starting from scratch. The scheduler deliberately holds no configurations itself: they are the strategy's.
/// </summary>
/// <param name="TrialKey">The key to report the result under.</param>
/// <param name="ConfigurationId">Which configuration to evaluate.</param>
/// <param name="Rung">The rung the trial belongs to.</param>
/// <param name="Resource">How much to spend (e.g. epochs): the rung's resource.</param>
/// <param name="ParentTrialKey">The promoted trial one rung lower, or null for a new configuration.</param>
/// <param name="ParentResource">The resource the parent was evaluated at, or null for a new configuration.</param>
public sealed record FidelityJob(long TrialKey, int ConfigurationId, int Rung, double Resource, long? ParentTrialKey, double? ParentResource)
{
    /// <summary>True for a rung-0 job: the caller must draw a new configuration from its search strategy.</summary>
    public bool IsNewConfiguration => ParentTrialKey is null;
}
