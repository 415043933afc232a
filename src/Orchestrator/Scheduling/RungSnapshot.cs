namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// A read-only picture of one rung, for progress displays and for checking a scheduler's decisions.
/// </summary>
/// <param name="Rung">The rung's index (0 = cheapest).</param>
/// <param name="Resource">The resource every trial of the rung is evaluated at.</param>
/// <param name="Trials">All trials of the rung (in flight or reported), in the order they were handed out.</param>
/// <param name="Ranking">The reported trials, best first: completed by objective (ties: earlier trial first),
/// then failed ones (earlier first).</param>
/// <param name="Promoted">Keys of the trials of this rung that were promoted to the next one, in promotion order.</param>
public sealed record RungSnapshot(int Rung, double Resource, IReadOnlyList<FidelityTrial> Trials, IReadOnlyList<FidelityTrial> Ranking, IReadOnlyList<long> Promoted);
