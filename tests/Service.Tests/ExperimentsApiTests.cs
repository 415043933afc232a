using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoCompress.Service.Tests;

/// <summary>
/// A service whose database stays empty: the tests sharing it only make calls that must not create anything.
/// Its plugin directory also holds a broken plugin.
/// </summary>
public sealed class EmptyService : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-service-").FullName;

    internal TestService Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await TestService.StartAsync(TestService.Settings(dir, TestPlugins.Install(dir, broken: true)));

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }
}

/// <summary>The API over real HTTP where nothing may be created: auth, bad specs, unknown ids, the OpenAPI document, plugins.</summary>
public sealed class ExperimentsApiTests(EmptyService fixture) : IClassFixture<EmptyService>
{
    private readonly TestService service = fixture.Service;

    [Fact]
    public async Task Health_needs_no_token_but_every_api_call_refuses_a_missing_or_wrong_one()
    {
        using (var health = await service.Anonymous.GetAsync(new Uri("health", UriKind.Relative)))
        {
            var body = await TestService.BodyAsync(health, HttpStatusCode.OK, "GET /health");
            Assert.Equal("ok", body["status"]!.GetValue<string>());
            Assert.Equal(1, body["worker_slots"]!.GetValue<int>());
            Assert.Equal(0, body["experiments_running"]!.GetValue<int>());
        }
        var id = Guid.NewGuid();
        var calls = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "api/experiments"), (HttpMethod.Post, "api/experiments"), (HttpMethod.Get, $"api/experiments/{id}"),
            (HttpMethod.Post, $"api/experiments/{id}/pause"), (HttpMethod.Delete, $"api/experiments/{id}"),
            (HttpMethod.Get, $"api/experiments/{id}/trials"), (HttpMethod.Get, $"api/experiments/{id}/pareto"),
            (HttpMethod.Get, $"api/experiments/{id}/events"), (HttpMethod.Get, "api/plugins"),
        };
        using var wrong = new HttpClient { BaseAddress = service.Address };
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestService.Token + "x");
        foreach (var (method, path) in calls)
        {
            foreach (var (client, suffix, who) in new[] { (service.Anonymous, "", "no token"), (wrong, "", "a wrong token"), (service.Anonymous, "?access_token=not-the-token", "a wrong access_token") })
            {
                using var request = new HttpRequestMessage(method, path + suffix) { Content = method == HttpMethod.Post ? new StringContent(Specs.Square(3), Encoding.UTF8, "application/json") : null };
                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {who}: {(int)response.StatusCode}");
            }
        }
        // The refused POSTs created nothing; the right token (header or access_token, for EventSource) is let in.
        Assert.Empty(await service.Store.ListExperimentsAsync());
        Assert.Empty((await service.GetAsync("api/experiments")).AsArray());
        using var query = await service.Anonymous.GetAsync(new Uri($"api/experiments?access_token={TestService.Token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "budget": {"max_trials": 0}}""", "budget.max_trials")]
    [InlineData("""{"name": "n", "evaluator": "nope", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}]}""", "evaluator")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}}""", "objectives")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "budjet": {}}""", "budjet")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "budget": {"max_trials": "ten"}}""", "budget.max_trials")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "sideways"}]}""", "objectives[0].direction")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 3, "high": 1}]}, "objectives": [{"metric": "m", "direction": "minimize"}]}""", "space")]
    [InlineData("""{"name": "n", "evaluator": "test-inproc", "space": {"parameters": [{"name": "x", "type": "integer", "low": 1, "high": 3}]}, "objectives": [{"metric": "m", "direction": "minimize"}], "strategy": {"name": "simulated_annealing"}}""", "strategy")]
    [InlineData("""[1, 2]""", null)]
    [InlineData("", null)]
    public async Task A_malformed_spec_gets_400_naming_the_field_and_nothing_is_created(string spec, string? field)
    {
        using var content = new StringContent(spec, Encoding.UTF8, "application/json");
        using var response = await service.Http.PostAsync(new Uri("api/experiments", UriKind.Relative), content);
        var body = await TestService.BodyAsync(response, HttpStatusCode.BadRequest, "POST a bad spec");
        Assert.StartsWith("spec: ", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(field, body["field"]?.GetValue<string>());
        if (field is not null) Assert.Contains(field, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await service.GetAsync("api/experiments")).AsArray());
        Assert.Empty(await service.Store.ListExperimentsAsync());
    }

    [Fact]
    public async Task An_unknown_experiment_is_404_on_every_endpoint_with_its_id_named()
    {
        var id = Guid.NewGuid();
        var calls = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, $"api/experiments/{id}"), (HttpMethod.Post, $"api/experiments/{id}/pause"),
            (HttpMethod.Post, $"api/experiments/{id}/resume"), (HttpMethod.Post, $"api/experiments/{id}/cancel"),
            (HttpMethod.Delete, $"api/experiments/{id}"), (HttpMethod.Get, $"api/experiments/{id}/trials"),
            (HttpMethod.Get, $"api/experiments/{id}/pareto"), (HttpMethod.Get, $"api/experiments/{id}/events"),
            (HttpMethod.Get, $"api/experiments/{id}/trials/1"), (HttpMethod.Post, $"api/experiments/{id}/trials/1/cancel"),
            (HttpMethod.Get, $"api/experiments/{id}/trials/1/artifacts/0"),
        };
        foreach (var (method, path) in calls)
        {
            using var request = new HttpRequestMessage(method, path);
            using var response = await service.Http.SendAsync(request);
            var body = await TestService.BodyAsync(response, HttpStatusCode.NotFound, $"{method} {path}");
            Assert.Contains(id.ToString(), body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using (var notAnId = await service.Http.GetAsync(new Uri("api/experiments/not-an-id", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served_without_a_token_and_lists_every_endpoint()
    {
        using var response = await service.Anonymous.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));
        var doc = await TestService.BodyAsync(response, HttpStatusCode.OK, "GET /openapi/v1.json");
        Assert.StartsWith("3.", doc["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = doc["paths"]!.AsObject().ToDictionary(kv => kv.Key.TrimEnd('/'), kv => kv.Value!.AsObject().Select(m => m.Key).ToHashSet());
        var expected = new (string Path, string Method)[]
        {
            ("/health", "get"), ("/api/experiments", "get"), ("/api/experiments", "post"), ("/api/experiments/{id}", "get"),
            ("/api/experiments/{id}", "delete"), ("/api/experiments/{id}/pause", "post"), ("/api/experiments/{id}/resume", "post"),
            ("/api/experiments/{id}/cancel", "post"), ("/api/experiments/{id}/pareto", "get"), ("/api/experiments/{id}/trials", "get"),
            ("/api/experiments/{id}/trials/{seq}", "get"), ("/api/experiments/{id}/trials/{seq}/cancel", "post"),
            ("/api/experiments/{id}/trials/{seq}/artifacts/{index}", "get"), ("/api/experiments/{id}/events", "get"), ("/api/plugins", "get"),
        };
        foreach (var (path, method) in expected)
            Assert.True(paths.TryGetValue(path, out var methods) && methods.Contains(method), $"{method.ToUpperInvariant()} {path} is not in the OpenAPI document; it has {string.Join(", ", paths.Keys)}");
    }

    [Fact]
    public async Task Plugins_lists_loaded_evaluators_and_a_broken_plugin_with_its_error()
    {
        var plugins = (await service.GetAsync("api/plugins")).AsArray().Select(p => p!).ToDictionary(p => p["id"]!.GetValue<string>());
        foreach (var id in new[] { "test-inproc", "test-eval", "nb201" })
        {
            Assert.True(plugins.TryGetValue(id, out var p), $"{id} is not listed: {string.Join(", ", plugins.Keys)}");
            Assert.Equal(("evaluator", "loaded"), (p["kind"]!.GetValue<string>(), p["state"]!.GetValue<string>()));
            Assert.Null(p["error"]);
        }
        Assert.Equal("1.0.0", plugins["test-inproc"]["version"]!.GetValue<string>());
        var broken = plugins["broken-evaluator"];
        Assert.Equal("broken", broken["state"]!.GetValue<string>());
        Assert.Contains("Missing.dll", broken["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
