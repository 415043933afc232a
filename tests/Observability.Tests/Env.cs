namespace AutoCompress.Observability.Tests;

/// <summary>Sets environment variables for a test (the process and the worker processes it starts) and restores them.</summary>
internal sealed class Env : IDisposable
{
    private readonly List<(string Name, string? Old)> saved = [];

    public Env(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            saved.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>No OTLP export: what a test that only scrapes needs, whatever the machine's environment says.</summary>
    public static Env WithoutOtlp() => new(("OTEL_EXPORTER_OTLP_ENDPOINT", null), ("OTEL_TRACES_EXPORTER", "none"), ("OTEL_METRICS_EXPORTER", "none"));

    public void Dispose()
    {
        foreach (var (name, old) in saved) Environment.SetEnvironmentVariable(name, old);
    }
}
