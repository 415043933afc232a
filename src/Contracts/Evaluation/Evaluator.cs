namespace AutoCompress.Contracts.Evaluation;

/// <summary>
/// Turns one trial (a configuration proposed by a search strategy) into measured metrics: it trains,
/// compresses, benchmarks or looks up whatever the experiment needs. Evaluators are plugins of kind
/// "evaluator". Because an evaluator may run native code (libtorch) that can crash the process, the
/// orchestrator runs it in a separate worker process unless it declares <see cref="RequiresIsolation"/> false.
/// </summary>
public abstract class Evaluator
{
    /// <summary>Stable name trials refer to, e.g. "train-and-compress".</summary>
    public abstract string Id { get; }

    /// <summary>
    /// True (the default) when the evaluator must run in a worker process, so that a crash kills one
    /// worker and one trial instead of the service. Only pure managed, cheap evaluators (a lookup table,
    /// a formula) should say false; they then run inside the orchestrator and can only be stopped by
    /// cancellation.
    /// </summary>
    public virtual bool RequiresIsolation => true;

    /// <summary>
    /// Evaluates one trial. It must honour <paramref name="cancel"/> (a time limit or a cancelled trial),
    /// write only under <see cref="EvaluationRequest.WorkDirectory"/>, and report a problem with the trial
    /// (bad configuration, a model it cannot handle) by throwing an exception whose message names it.
    /// </summary>
    public abstract Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, EvaluationContext context, CancellationToken cancel);
}
