using System.Diagnostics;

namespace AutoCompress.Contracts.Evaluation;

/// <summary>
/// The trace source evaluators and methods report their phases on ("compress", "train", "cost", ...). A phase started
/// here while a trial runs becomes a child of the trial's "evaluate" span, in the worker process or in-process, and
/// reaches the same trace as the orchestrator's "trial" span. Starting a phase costs nothing when nobody listens.
/// </summary>
public static class EvaluatorTelemetry
{
    /// <summary>The ActivitySource name telemetry providers subscribe to.</summary>
    public const string SourceName = "AutoCompress.Evaluators";

    /// <summary>The source; evaluators may use it directly.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts a phase span (dispose it to end it); null when no listener records it.</summary>
    /// <param name="phase">A short lower-case name: "compress", "train", "cost", "evaluate"...</param>
    /// <param name="detail">What the phase works on (a step or method name), recorded as "autocompress.phase.detail".</param>
    public static Activity? StartPhase(string phase, string? detail = null)
    {
        var activity = Source.StartActivity(phase);
        if (activity is not null && detail is not null) activity.SetTag("autocompress.phase.detail", detail);
        return activity;
    }
}
