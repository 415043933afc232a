using AutoCompress.Orchestrator.Observability;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AutoCompress.Service;

/// <summary>
/// The service's OpenTelemetry providers, owned by the host's container: built with it, disposed (flushed) when the
/// host stops. Metrics are always kept for the Prometheus scrape endpoint (<c>GET /metrics</c>, anonymous, like
/// /health) and also pushed over OTLP when the <c>OTEL_*</c> variables ask for it; traces go over OTLP only when
/// asked (see <see cref="TelemetryProviders"/>). Worker processes inherit the variables and export their own spans.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    public const string MetricsPath = "/metrics";

    public ServiceTelemetry()
    {
        Traces = TelemetryProviders.Traces("autocompress");
        Meters = TelemetryProviders.Metrics("autocompress", b => b.AddPrometheusExporter())!;
    }

    /// <summary>Null when no trace exporter is configured.</summary>
    public TracerProvider? Traces { get; }

    public MeterProvider Meters { get; }

    public void Dispose()
    {
        Traces?.Dispose();
        Meters.Dispose();
    }
}
