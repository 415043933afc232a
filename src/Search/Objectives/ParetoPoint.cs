namespace AutoCompress.Search.Objectives;

/// <summary>One result held by a <see cref="ParetoFront"/>.</summary>
/// <param name="Id">The caller's identifier, usually the trial index.</param>
/// <param name="Metrics">The metrics as measured.</param>
/// <param name="Scores">The objectives as "larger is better" scores, in the front's objective order.</param>
public sealed record ParetoPoint(long Id, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<double> Scores);
