using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AutoCompress.Service;
using Microsoft.AspNetCore.Builder;

namespace AutoCompress.Dashboard.Tests;

/// <summary>
/// The real service (ServiceHost.Build) on a free loopback port with a temporary database, a token, the built plugins
/// and the test evaluator; it has run examples/nb201-random.json to the end before any test starts, so the dashboard
/// has 200 completed trials to show.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public const string Token = "dashboard-test-token-5f1c9a";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private WebApplication? app;

    public string Root { get; } = Directory.CreateTempSubdirectory("ac-dashboard-").FullName;
    public string BaseUrl { get; private set; } = "";
    public HttpClient Api { get; private set; } = null!;
    public Guid Nb201 { get; private set; }

    public async Task InitializeAsync()
    {
        var testPlugins = RepoPaths.InstallTestEvaluator(Root);
        app = ServiceHost.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            [$"{ServiceOptions.Section}:Database"] = Path.Combine(Root, "experiments.db"),
            [$"{ServiceOptions.Section}:Token"] = Token,
            [$"{ServiceOptions.Section}:PluginDirectories:0"] = RepoPaths.BuiltPlugins,
            [$"{ServiceOptions.Section}:PluginDirectories:1"] = testPlugins,
            [$"{ServiceOptions.Section}:Slots"] = "1",
            [$"{ServiceOptions.Section}:EventIntervalSeconds"] = "0.25",
        });
        await app.StartAsync();
        BaseUrl = app.Urls.Single().TrimEnd('/');
        Assert.StartsWith("http://127.0.0.1:", BaseUrl, StringComparison.Ordinal);
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Nb201 = await CreateAsync(await File.ReadAllTextAsync(RepoPaths.Example("nb201-random.json")));
        await WaitForAsync(Nb201, p => p["status"]!.GetValue<string>() == "completed", "the nb201 experiment to complete");
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A worker process may still be letting go of a file; the temp folder is cleaned up by the system.
        }
    }

    public async Task<Guid> CreateAsync(string spec)
    {
        using var response = await Api.PostAsync(new Uri("/api/experiments", UriKind.Relative), new StringContent(spec, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"creating the experiment failed: {(int)response.StatusCode} {body}");
        return Guid.Parse(JsonNode.Parse(body)!["experiment_id"]!.GetValue<string>());
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Api.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonNode> ProgressAsync(Guid id) => (await GetAsync($"/api/experiments/{id}"))["progress"]!;

    /// <summary>Every trial of an experiment, as the API lists them.</summary>
    public async Task<List<JsonNode>> TrialsAsync(Guid id, string? status = null)
    {
        var page = await GetAsync($"/api/experiments/{id}/trials?limit=10000" + (status is null ? "" : "&status=" + status));
        return [.. page["trials"]!.AsArray().Select(t => t!)];
    }

    public async Task<JsonNode> WaitForAsync(Guid id, Func<JsonNode, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var progress = await ProgressAsync(id);
            if (condition(progress)) return progress;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}; progress: {progress.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceGroup : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
