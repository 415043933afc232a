using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AutoCompress.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AutoCompress.Service.Tests;

/// <summary>
/// The real service (ServiceHost.Build, Kestrel on a free loopback port) over a database in a temp folder, with
/// HTTP clients with and without the token. Each test gets its own, so what one creates another never sees.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    public const string Token = "service-tests-token-7d41b2c9";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestService(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Anonymous = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Address { get; }

    /// <summary>Sends the token.</summary>
    public HttpClient Http { get; }

    /// <summary>Sends no token.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>The store the service writes, to check the API against.</summary>
    public ExperimentStore Store => App.Services.GetRequiredService<ExperimentHost>().Service.Store;

    /// <summary>The settings a test service runs with; tests change or remove some.</summary>
    public static Dictionary<string, string?> Settings(string dir, string plugins, double eventInterval = 0.2) => new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Warning",
        [$"{ServiceOptions.Section}:Database"] = Path.Combine(dir, "experiments.db"),
        [$"{ServiceOptions.Section}:Token"] = Token,
        [$"{ServiceOptions.Section}:PluginDirectories:0"] = plugins,
        [$"{ServiceOptions.Section}:Slots"] = "1",
        [$"{ServiceOptions.Section}:EventIntervalSeconds"] = eventInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<TestService> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = ServiceHost.Build([], settings);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var url = app.Urls.Single();
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        return new TestService(app, new Uri(url.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>GET with the token; asserts the status and returns the JSON body.</summary>
    public async Task<JsonNode> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return await BodyAsync(response, expected, $"GET {path}");
    }

    /// <summary>POST with the token; asserts the status and returns the JSON body (null when empty).</summary>
    public async Task<JsonNode?> PostAsync(string path, string? json, HttpStatusCode expected)
    {
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode> BodyAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Creates an experiment (asserting 201) and returns its id.</summary>
    public async Task<Guid> CreateAsync(string spec)
    {
        var progress = await PostAsync("api/experiments", spec, HttpStatusCode.Created);
        return Guid.Parse(progress!["experiment_id"]!.GetValue<string>());
    }

    /// <summary>The experiment's progress as GET /api/experiments/{id} reports it.</summary>
    public async Task<JsonNode> ProgressAsync(Guid id) => (await GetAsync($"api/experiments/{id}"))["progress"]!;

    /// <summary>Polls the experiment's progress until <paramref name="condition"/> holds.</summary>
    public async Task<JsonNode> WaitForAsync(Guid id, Func<JsonNode, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var progress = await ProgressAsync(id);
            if (condition(progress)) return progress;
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {Patience.TotalSeconds} s for {what}; last progress: {progress.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the experiment has ended and returns its final progress.</summary>
    public Task<JsonNode> WaitForEndAsync(Guid id) =>
        WaitForAsync(id, p => Status(p) is "completed" or "failed" or "cancelled", $"experiment {id} to end");

    public static string Status(JsonNode progress) => progress["status"]!.GetValue<string>();

    public static long Count(JsonNode progress, string key) => progress[key]!.GetValue<long>();

    /// <summary>Every trial of an experiment, straight from the store (the truth the API is checked against).</summary>
    public async Task<IReadOnlyList<Trial>> StoredTrialsAsync(Guid id) =>
        await Store.QueryTrialsAsync(id, new TrialQuery { Limit = TrialQuery.MaxLimit });
}
