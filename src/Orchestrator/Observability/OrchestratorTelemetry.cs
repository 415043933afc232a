using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AutoCompress.Orchestrator.Observability;

/// <summary>
/// The orchestrator's traces and metrics. Spans (ActivitySource <c>AutoCompress.Orchestrator</c>): "propose" (a
/// strategy's Ask in the experiment actor), "trial" (one attempt, from its start to its outcome) and, in the process
/// that evaluates, "evaluate" (a child of "trial" even across the worker process boundary, carried by
/// <see cref="Contracts.Evaluation.EvaluationRequest.TraceParent"/>). Evaluators add "compress", "train", "cost" under
/// it through <see cref="Contracts.Evaluation.EvaluatorTelemetry"/>.
/// <para>
/// Metrics (Meter <c>AutoCompress.Orchestrator</c>; Prometheus names in brackets): trials started, completed and failed
/// per experiment and evaluator [autocompress_trials_started_total, ..._completed_total, ..._failed_total], trial
/// duration [autocompress_trial_duration_seconds], queued trials [autocompress_queue_depth], per experiment the best
/// value of the first objective, the hypervolume and the size of the Pareto front [autocompress_experiment_best,
/// ..._hypervolume, ..._pareto_size], and the latency cost model's relative error against a measured latency
/// [autocompress_cost_model_error_ratio], recorded when a trial reports both "latency_ms" (predicted) and
/// "latency_ms_measured".
/// </para>
/// </summary>
public static class OrchestratorTelemetry
{
    public const string Name = "AutoCompress.Orchestrator";

    /// <summary>Metric key of a measured latency, beside the predicted "latency_ms", that feeds the cost-model error.</summary>
    public const string MeasuredLatencyMetric = "latency_ms_measured";

    /// <summary>Metric key of the predicted latency.</summary>
    public const string PredictedLatencyMetric = "latency_ms";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> TrialsStarted = Meter.CreateCounter<long>("autocompress.trials.started", description: "Trial attempts started");

    public static readonly Counter<long> TrialsCompleted = Meter.CreateCounter<long>("autocompress.trials.completed", description: "Trial attempts that returned a result");

    public static readonly Counter<long> TrialsFailed = Meter.CreateCounter<long>("autocompress.trials.failed",
        description: "Trial attempts that failed, crashed, timed out, were cancelled or found no worker (tag status)");

    public static readonly Histogram<double> TrialDuration = Meter.CreateHistogram<double>("autocompress.trial.duration", "s", "Wall time of a trial attempt");

    public static readonly Histogram<double> CostModelError = Meter.CreateHistogram<double>("autocompress.cost_model.error_ratio",
        description: "(predicted - measured) / measured latency, for trials that report both");

    private static readonly ConcurrentDictionary<object, Func<int>> QueueDepths = new();
    private static readonly ConcurrentDictionary<Guid, ExperimentGauges> Experiments = new();

    static OrchestratorTelemetry()
    {
        Meter.CreateObservableGauge("autocompress.queue.depth", () => QueueDepths.Values.Sum(d => d()), description: "Trials queued for a free slot");
        Meter.CreateObservableGauge("autocompress.experiment.best", () => Observe(g => g.Best), description: "Best value of the experiment's first objective");
        Meter.CreateObservableGauge("autocompress.experiment.hypervolume", () => Observe(g => g.Hypervolume),
            description: "Hypervolume of the Pareto front against the worst value seen of each objective");
        Meter.CreateObservableGauge("autocompress.experiment.pareto_size", () => ObserveCount(g => g.ParetoSize), description: "Trials on the Pareto front");
    }

    /// <summary>Registers a queue whose depth the gauge sums (a scheduler, while it runs).</summary>
    public static IDisposable TrackQueue(Func<int> depth)
    {
        var key = new object();
        QueueDepths[key] = depth;
        return new Removal(() => QueueDepths.TryRemove(key, out _));
    }

    /// <summary>Publishes an experiment's search gauges (values read by the exporter; null leaves one out).</summary>
    public static void SetExperiment(Guid experiment, string name, double? best, double? hypervolume, int? paretoSize) =>
        Experiments[experiment] = new ExperimentGauges(experiment.ToString(), name, best, hypervolume, paretoSize);

    /// <summary>Stops publishing an experiment's gauges (its actor stopped).</summary>
    public static void RemoveExperiment(Guid experiment) => Experiments.TryRemove(experiment, out _);

    /// <summary>Records the cost model's error when a trial reports a predicted and a measured latency.</summary>
    public static void RecordCostModelError(IReadOnlyDictionary<string, double>? metrics, string evaluator)
    {
        if (metrics is null || !metrics.TryGetValue(PredictedLatencyMetric, out var predicted) || !metrics.TryGetValue(MeasuredLatencyMetric, out var measured)
            || !(measured > 0) || !double.IsFinite(predicted)) return;
        CostModelError.Record((predicted - measured) / measured, new KeyValuePair<string, object?>("evaluator", evaluator));
    }

    private static IEnumerable<Measurement<double>> Observe(Func<ExperimentGauges, double?> value)
    {
        foreach (var g in Experiments.Values)
            if (value(g) is { } v && double.IsFinite(v))
                yield return new Measurement<double>(v, new KeyValuePair<string, object?>("experiment", g.Id), new KeyValuePair<string, object?>("experiment_name", g.Name));
    }

    private static IEnumerable<Measurement<double>> ObserveCount(Func<ExperimentGauges, int?> value) =>
        Observe(g => value(g) is { } v ? (double?)v : null);

    private sealed record ExperimentGauges(string Id, string Name, double? Best, double? Hypervolume, int? ParetoSize);

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
