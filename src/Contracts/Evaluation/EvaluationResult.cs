namespace AutoCompress.Contracts.Evaluation;

/// <summary>What an evaluation measured and produced. Plain data, so it can cross a process boundary as JSON.</summary>
/// <param name="Metrics">Measured values with snake_case names, e.g. "test_accuracy" (0..1), "macs", "latency_ms".</param>
/// <param name="Artifacts">Paths of files the evaluation wrote (weights, reports), under the request's work directory.</param>
/// <param name="Description">The evaluated model's description as JSON, when the evaluation produced a model.</param>
public sealed record EvaluationResult(IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<string> Artifacts, string? Description = null);
