namespace AutoCompress.Methods.Pruning;

/// <summary>Settings of <see cref="SoftFilterPruner"/>.</summary>
/// <param name="Interval">Optimizer steps between re-ranking and re-suppressing the lowest filters.</param>
/// <param name="Decay">Factor the suppressed filters are multiplied by (0 zeroes them).</param>
/// <param name="ScheduleK">Steepness k of the asymptotic schedule.</param>
public sealed record SoftPruningOptions(int Interval = 50, double Decay = 0, double ScheduleK = 4);
