using AutoCompress.Contracts.Evaluation;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AutoCompress.Orchestrator.Observability;

/// <summary>
/// Builds the OpenTelemetry providers of a process (the service, a local `experiment run`, a worker) without a hosting
/// package: the caller owns them and disposes them at exit, which flushes what is buffered.
/// <para>
/// OTLP export is on when the standard variables ask for it: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or the per-signal
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> / <c>..._METRICS_ENDPOINT</c>) is set, or <c>OTEL_TRACES_EXPORTER</c> /
/// <c>OTEL_METRICS_EXPORTER</c> is "otlp"; "none" turns a signal off. The exporter itself reads the endpoint,
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (grpc or http/protobuf), headers and timeouts. <c>OTEL_SERVICE_NAME</c> and
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> name the process.
/// </para>
/// </summary>
public static class TelemetryProviders
{
    /// <summary>Every AutoCompress ActivitySource and Meter name starts with this.</summary>
    public const string Prefix = "AutoCompress.";

    /// <summary>Whether the environment asks for OTLP export of a signal ("TRACES" or "METRICS").</summary>
    public static bool OtlpWanted(string signal)
    {
        var exporter = Environment.GetEnvironmentVariable($"OTEL_{signal}_EXPORTER");
        if (exporter is not null) return exporter.Split(',').Any(e => e.Trim().Equals("otlp", StringComparison.OrdinalIgnoreCase));
        return !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
               || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"));
    }

    /// <summary>
    /// The tracer provider (every AutoCompress source), exporting over OTLP in batches when asked; null when nothing
    /// would be exported. <paramref name="batchDelay"/> is how long spans may wait for their batch (the SDK's 5 s by
    /// default): workers use a short one, so that little is lost if one is killed, without ever blocking an
    /// evaluator on a slow collector as per-span export would.
    /// </summary>
    public static TracerProvider? Traces(string defaultServiceName, TimeSpan? batchDelay = null)
    {
        if (!OtlpWanted("TRACES")) return null;
        return Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(Resource(defaultServiceName))
            .AddSource(OrchestratorTelemetry.Name, EvaluatorTelemetry.SourceName, Prefix + "*")
            .AddOtlpExporter(o =>
            {
                o.ExportProcessorType = ExportProcessorType.Batch;
                if (batchDelay is { } delay) o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)delay.TotalMilliseconds;
            })
            .Build();
    }

    /// <summary>
    /// The meter provider (every AutoCompress meter) with OTLP export when asked and whatever else
    /// <paramref name="configure"/> adds (the service's Prometheus endpoint); null when it would export nowhere.
    /// </summary>
    public static MeterProvider? Metrics(string defaultServiceName, Action<MeterProviderBuilder>? configure = null)
    {
        var otlp = OtlpWanted("METRICS");
        if (!otlp && configure is null) return null;
        var builder = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(Resource(defaultServiceName))
            .AddMeter(OrchestratorTelemetry.Name, Prefix + "*");
        if (otlp) builder.AddOtlpExporter();
        configure?.Invoke(builder);
        return builder.Build();
    }

    private static ResourceBuilder Resource(string defaultServiceName) =>
        ResourceBuilder.CreateDefault().AddService(
            Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : defaultServiceName,
            serviceVersion: typeof(TelemetryProviders).Assembly.GetName().Version?.ToString());
}
