namespace AutoCompress.Contracts.Evaluation;

/// <summary>
/// One trial to evaluate. It is plain data (it crosses a process boundary as JSON): the strategy's
/// proposed parameters stay an opaque JSON string that only the evaluator interprets.
/// </summary>
/// <param name="TrialId">The trial's id, unique within the service.</param>
/// <param name="ExperimentId">The experiment the trial belongs to.</param>
/// <param name="Config">The proposed parameters as a JSON object, e.g. <c>{"method":"prune","sparsity":0.5}</c>.</param>
/// <param name="Fidelity">For multi-fidelity strategies, how much to spend (e.g. epochs); null means full fidelity.</param>
/// <param name="Seed">Seed for everything random in the evaluation, so a trial can be repeated.</param>
/// <param name="WorkDirectory">A folder the evaluator may write into (weights, logs, scratch files).</param>
public sealed record EvaluationRequest(long TrialId, string ExperimentId, string Config, double? Fidelity, int Seed, string WorkDirectory)
{
    /// <summary>
    /// The W3C trace context ("traceparent") of the orchestrator's span for this trial, so the worker's spans join
    /// its trace; null when nothing is traced.
    /// </summary>
    public string? TraceParent { get; init; }
}
