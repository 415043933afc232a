using System.Text.Json.Serialization;
using AutoCompress.Contracts.Evaluation;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// A message between the orchestrator and a worker process, serialised as one JSON object whose
/// "type" names the kind: parent to worker "run", "cancel", "shutdown"; worker to parent "ready",
/// "log", "done", "failed". See <see cref="WorkerProtocol"/> for the framing.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RunMessage), "run")]
[JsonDerivedType(typeof(CancelMessage), "cancel")]
[JsonDerivedType(typeof(ShutdownMessage), "shutdown")]
[JsonDerivedType(typeof(ReadyMessage), "ready")]
[JsonDerivedType(typeof(LogMessage), "log")]
[JsonDerivedType(typeof(DoneMessage), "done")]
[JsonDerivedType(typeof(FailedMessage), "failed")]
public abstract record WorkerMessage
{
    /// <summary>What is wrong with the message's content, or null when it is well-formed.</summary>
    public virtual string? Problem() => null;

    /// <summary>The trial the message is about, or null for messages about the worker itself.</summary>
    public virtual long? Trial() => null;
}

/// <summary>Parent to worker: evaluate <paramref name="Request"/> with the evaluator <paramref name="Evaluator"/>.</summary>
public sealed record RunMessage(EvaluationRequest Request, string Evaluator) : WorkerMessage
{
    public override long? Trial() => Request.TrialId;

    public override string? Problem() =>
        string.IsNullOrWhiteSpace(Evaluator) ? "run: \"evaluator\" is empty"
        : Request.Config is null ? "run: \"request.config\" is missing"
        : string.IsNullOrWhiteSpace(Request.WorkDirectory) ? "run: \"request.work_directory\" is empty"
        : Request.ExperimentId is null ? "run: \"request.experiment_id\" is missing"
        : null;
}

/// <summary>Parent to worker: stop trial <paramref name="TrialId"/> (cooperatively, through its cancellation token).</summary>
public sealed record CancelMessage(long TrialId) : WorkerMessage
{
    public override long? Trial() => TrialId;
}

/// <summary>Parent to worker: exit once the current trial (if any) has been cancelled.</summary>
public sealed record ShutdownMessage : WorkerMessage;

/// <summary>Worker to parent, first and once: the worker is up and these plugins loaded.</summary>
/// <param name="Protocol">The worker's <see cref="WorkerProtocol.Version"/>; the parent refuses another.</param>
/// <param name="Pid">The worker's process id.</param>
/// <param name="Plugins">Ids of the plugins it loaded.</param>
/// <param name="Evaluators">Ids of the evaluators among them.</param>
/// <param name="Broken">Plugins that failed to load, as "id: reason".</param>
public sealed record ReadyMessage(int Protocol, int Pid, IReadOnlyList<string> Plugins, IReadOnlyList<string> Evaluators, IReadOnlyList<string> Broken) : WorkerMessage
{
    public override string? Problem() =>
        Pid <= 0 ? $"ready: invalid pid {Pid}"
        : Protocol != WorkerProtocol.Version ? $"ready: the worker speaks protocol {Protocol}, this orchestrator protocol {WorkerProtocol.Version}"
        : null;
}

/// <summary>Worker to parent: a line of the running trial's log.</summary>
public sealed record LogMessage(long TrialId, string Line) : WorkerMessage
{
    public override long? Trial() => TrialId;
}

/// <summary>Worker to parent: the trial finished with a result.</summary>
public sealed record DoneMessage(long TrialId, EvaluationResult Result) : WorkerMessage
{
    public override long? Trial() => TrialId;

    public override string? Problem() =>
        Result.Metrics is null ? "done: \"result.metrics\" is missing"
        : Result.Artifacts is null ? "done: \"result.artifacts\" is missing"
        : Result.Metrics.Keys.Any(string.IsNullOrWhiteSpace) ? "done: a metric has an empty name"
        : Result.Artifacts.Any(string.IsNullOrWhiteSpace) ? "done: an artifact path is empty"
        : null;
}

/// <summary>Worker to parent: the trial failed with an exception (the worker itself is fine).</summary>
/// <param name="TrialId">The trial.</param>
/// <param name="Error">The exception's message.</param>
/// <param name="ExceptionType">The exception's full type name, e.g. "System.InvalidOperationException".</param>
/// <param name="Detail">The exception with its stack trace, possibly shortened.</param>
public sealed record FailedMessage(long TrialId, string Error, string ExceptionType, string? Detail = null) : WorkerMessage
{
    public override long? Trial() => TrialId;

    public override string? Problem() => string.IsNullOrWhiteSpace(ExceptionType) ? "failed: \"exception_type\" is empty" : null;
}
