namespace AutoCompress.Contracts.Evaluation;

/// <summary>
/// What the host gives an evaluator besides the request. Kept separate from <see cref="EvaluationRequest"/>
/// because it is not data: it lives on the side of the process that runs the evaluator.
/// </summary>
public sealed record EvaluationContext
{
    /// <summary>Progress lines for the trial's log; they reach the orchestrator while the trial runs.</summary>
    public IProgress<string>? Log { get; init; }

    /// <summary>
    /// The plugins the host loaded (methods, cost models, ...), for evaluators that compose them;
    /// null when the host offers none (e.g. an evaluator called directly from a test).
    /// </summary>
    public IPluginLookup? Plugins { get; init; }
}
