using System.Diagnostics;
using AutoCompress.Contracts.Evaluation;

namespace AutoCompress.Orchestrator.Observability;

/// <summary>
/// The "evaluate" span around an evaluator's run, a child of the orchestrator's "trial" span: in a worker process
/// its parent comes from the request's W3C trace context, in-process it is the ambient trial span.
/// </summary>
internal static class EvaluateSpan
{
    public static Activity? Start(EvaluationRequest request, string evaluatorId, bool inProcess)
    {
        var parent = request.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var span = parent == default
            ? OrchestratorTelemetry.Source.StartActivity("evaluate")
            : OrchestratorTelemetry.Source.StartActivity("evaluate", ActivityKind.Internal, parent);
        span?.SetTag("autocompress.trial.id", request.TrialId);
        span?.SetTag("autocompress.experiment", request.ExperimentId);
        span?.SetTag("autocompress.evaluator", evaluatorId);
        span?.SetTag("autocompress.in_process", inProcess);
        span?.SetTag("process.pid", Environment.ProcessId);
        return span;
    }
}
