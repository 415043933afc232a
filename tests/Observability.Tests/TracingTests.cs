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
        while ((Named("trial", "autocompress").Count < trials || Named("evaluate", "autocompress-worker").Count < trials) && DateTime.UtcNow < deadline)
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
    }
}
