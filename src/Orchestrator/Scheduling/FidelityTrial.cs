namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// One evaluation of one configuration at one rung. A configuration that climbs the rungs is a chain of trials,
/// each the parent of the next, so every rung keeps its own result (ranking a rung needs the results at that
/// rung's resource, not the configuration's latest one) and a promoted trial can warm-start from its parent.
/// This is also the unit of the persisted state (<see cref="FidelitySchedulerState.Trials"/>).
/// </summary>
/// <param name="Key">The scheduler's key for the trial: 1, 2, 3, ... in the order trials were handed out, never reused.</param>
/// <param name="ConfigurationId">The configuration evaluated: 1, 2, 3, ... in the order new configurations were asked for;
/// a promotion keeps its parent's id.</param>
/// <param name="Rung">The rung (0 = the cheapest resource).</param>
/// <param name="ParentKey">The trial one rung lower this one was promoted from; null at rung 0.</param>
/// <param name="Status">In flight, completed or failed.</param>
/// <param name="Objective">The reported objective when completed, otherwise null.</param>
/// <param name="Error">Why it failed when failed, otherwise null.</param>
public sealed record FidelityTrial(long Key, int ConfigurationId, int Rung, long? ParentKey, FidelityTrialStatus Status, double? Objective, string? Error);
