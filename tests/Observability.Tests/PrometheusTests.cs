using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace AutoCompress.Observability.Tests;

/// <summary>A real Prometheus (Debian's package) scrapes the service's /metrics; its query API returns our metrics.</summary>
public sealed class PrometheusTests : IDisposable
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private readonly string dir = Directory.CreateTempSubdirectory("ac-prometheus-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task A_real_prometheus_scrapes_the_metrics_endpoint_and_its_query_api_returns_the_trial_counts_and_the_best()
    {
        Assert.True(File.Exists(PrometheusBinary), $"{PrometheusBinary} is missing: install Debian's prometheus (scripts/bootstrap.sh --test does)");
        using var env = Env.WithoutOtlp();
        await using var host = await TestHost.StartAsync(dir);
        var spec = """
            {"name": "scraped", "evaluator": "test-inproc",
             "space": {"parameters": [{"name": "x", "type": "continuous", "low": -1, "high": 1},
                                      {"name": "fail", "type": "categorical", "choices": [true, false]}]},
             "objectives": [{"metric": "square", "direction": "minimize"}],
             "budget": {"max_trials": 12, "max_concurrent": 3}, "seed": 8}
            """;
        var id = await host.RunAsync(spec, TimeSpan.FromSeconds(60));
        var progress = await host.ProgressAsync(id);
        var (completed, failed) = (progress["completed"]!.GetValue<long>(), progress["failed"]!.GetValue<long>());
        var best = progress["best_value"]!.GetValue<double>();
        Assert.True(completed > 0 && failed > 0, progress.ToJsonString());

        // The endpoint itself: anonymous, Prometheus text.
        using (var anonymous = new HttpClient { BaseAddress = host.Address })
        {
            var text = await anonymous.GetStringAsync(new Uri("metrics", UriKind.Relative));
            Assert.Contains("autocompress_trials_completed_total", text, StringComparison.Ordinal);
        }

        var port = TestHost.FreePort();
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: autocompress
                metrics_path: /metrics
                static_configs:
                  - targets: ["{host.Address.Authority}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo(PrometheusBinary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "tsdb")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var log = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        prometheus.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            async Task<double?> Query(string promql)
            {
                try
                {
                    var body = JsonNode.Parse(await api.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative)))!;
                    var result = body["data"]!["result"]!.AsArray();
                    return result.Count == 0 ? null : double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            }
            var experiment = $"experiment=\"{id}\"";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            double? done = null, lost = null, best1 = null, durations = null;
            while (DateTime.UtcNow < deadline && !prometheus.HasExited)
            {
                done = await Query($"sum(autocompress_trials_completed_total{{{experiment}}})");
                lost = await Query($"sum(autocompress_trials_failed_total{{{experiment}}})");
                best1 = await Query($"autocompress_experiment_best{{{experiment}}}");
                durations = await Query($"sum(autocompress_trial_duration_seconds_count{{{experiment}}})");
                if (done == completed && lost == failed && best1 is not null && durations == completed + failed) break;
                await Task.Delay(500);
            }
            string Log() { lock (log) return log.ToString(); }
            Assert.False(prometheus.HasExited, Log());
            Assert.Equal(completed, done);
            Assert.Equal(failed, lost);
            Assert.Equal(completed + failed, durations);
            Assert.Equal(best, best1!.Value, 9);
            Assert.NotNull(await Query("autocompress_queue_depth"));
        }
        finally
        {
            if (!prometheus.HasExited) prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }
}
