using System.Globalization;

namespace AutoCompress.Observability.Tests;

/// <summary>Traces over OTLP, configured by the standard variables, reach a local receiver as one trace per trial.</summary>
public sealed class TracingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-otlp-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task Trial_spans_and_the_worker_processes_evaluate_spans_reach_an_otlp_receiver_in_one_trace()
    {
        using var receiver = new OtlpReceiver();
        using var env = new Env(("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_TRACES_EXPORTER", null), ("OTEL_METRICS_EXPORTER", "none"), ("OTEL_SERVICE_NAME", null));
        const int trials = 4;
        var spec = string.Create(CultureInfo.InvariantCulture, $$"""
            {"name": "traced", "evaluator": "test-eval", "fixed": {"action": "sleep", "seconds": 0.01},
             "space": {"parameters": [{"name": "value", "type": "integer", "low": 1, "high": 1000}]},
             "objectives": [{"metric": "value", "direction": "minimize"}],
             "budget": {"max_trials": {{trials}}, "max_concurrent": 2}, "seed": 4}
            """);
        string id;
        await using (var host = await TestHost.StartAsync(dir))
            id = await host.RunAsync(spec, TimeSpan.FromSeconds(90));
        // Stopping the host flushed its batch; the workers sent each span as it ended.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        List<ReceivedSpan> Named(string name, string service) => receiver.Spans.Where(s => s.Name == name && s.Service == service).ToList();
        while ((Named("trial", "autocompress").Count < trials || Named("evaluate", "autocompress-worker").Count < trials
                || Named("sleep", "autocompress-worker").Count < trials) && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        Assert.Contains("/v1/traces", receiver.Paths);
        var trialSpans = Named("trial", "autocompress").Where(s => s.Attributes.GetValueOrDefault("autocompress.experiment") == id).ToList();
        Assert.Equal(trials, trialSpans.Count);
        Assert.All(trialSpans, s => Assert.Equal(("test-eval", "completed"), (s.Attributes["autocompress.evaluator"], s.Attributes["autocompress.trial.status"])));
        Assert.Equal(Enumerable.Range(1, trials).Select(i => i.ToString(CultureInfo.InvariantCulture)),
            trialSpans.Select(s => s.Attributes["autocompress.trial.seq"]).Order(StringComparer.Ordinal));
        Assert.NotEmpty(Named("propose", "autocompress"));

        // Each trial's evaluation ran in a worker process, whose span is the trial span's child in the same trace.
        var evaluates = Named("evaluate", "autocompress-worker").Where(s => s.Attributes.GetValueOrDefault("autocompress.experiment") == id).ToList();
        Assert.Equal(trials, evaluates.Count);
        foreach (var evaluate in evaluates)
        {
            var parent = Assert.Single(trialSpans, t => t.SpanId == evaluate.ParentSpanId);
            Assert.Equal(parent.TraceId, evaluate.TraceId);
            Assert.Equal(parent.Attributes["autocompress.trial.id"], evaluate.Attributes["autocompress.trial.id"]);
            Assert.NotEqual(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), evaluate.Attributes["process.pid"]);
        }
        Assert.Equal(trials, evaluates.Select(e => e.TraceId).Distinct().Count());
        // The evaluator's own phase (EvaluatorTelemetry) is the evaluate span's child.
        foreach (var evaluate in evaluates)
        {
            var phase = Assert.Single(receiver.Spans, s => s.Name == "sleep" && s.ParentSpanId == evaluate.SpanId);
            Assert.Equal((evaluate.TraceId, "0.01 s"), (phase.TraceId, phase.Attributes["autocompress.phase.detail"]));
        }
    }
}

/// <summary>The cost model's error histogram: recorded from a trial's predicted and measured latency only.</summary>
public sealed class CostModelErrorTests
{
    [Fact]
    public void The_relative_error_is_recorded_when_both_latencies_are_reported()
    {
        var recorded = new List<(double Value, string? Evaluator)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AutoCompress.Orchestrator.Observability.OrchestratorTelemetry.Name && instrument.Name == "autocompress.cost_model.error_ratio")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? evaluator = null;
            foreach (var t in tags) if (t.Key == "evaluator") evaluator = t.Value as string;
            lock (recorded) recorded.Add((value, evaluator));
        });
        listener.Start();
        var only = Guid.NewGuid().ToString(); // other tests may record meanwhile: keep this test's evaluator only
        AutoCompress.Orchestrator.Observability.OrchestratorTelemetry.RecordCostModelError(new Dictionary<string, double> { ["latency_ms"] = 1.1, ["latency_ms_measured"] = 1.0 }, only);
        AutoCompress.Orchestrator.Observability.OrchestratorTelemetry.RecordCostModelError(new Dictionary<string, double> { ["latency_ms"] = 1.1 }, only);
        AutoCompress.Orchestrator.Observability.OrchestratorTelemetry.RecordCostModelError(new Dictionary<string, double> { ["latency_ms"] = 1.1, ["latency_ms_measured"] = 0 }, only);
        lock (recorded)
        {
            var mine = recorded.Where(r => r.Evaluator == only).ToList();
            Assert.Equal(0.1, Assert.Single(mine).Value, 9);
        }
    }
}
