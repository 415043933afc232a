using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace AutoCompress.Observability.Tests;

/// <summary>The real service (ServiceHost.Build, Kestrel on a free loopback port) with the test evaluators as plugins.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string Token = "observability-tests-token-51f0";

#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    private TestHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static async Task<TestHost> StartAsync(string dir)
    {
        var plugins = Path.Combine(dir, "plugins");
        foreach (var name in new[] { "TestEvaluator", "InProcessEvaluator" })
        {
            var from = Path.Combine(Root, "build", "test-plugins", Configuration, name);
            if (!Directory.Exists(from)) throw new InvalidOperationException($"{from} is missing: build tests/Observability.Tests");
            var target = Directory.CreateDirectory(Path.Combine(plugins, name)).FullName;
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["AutoCompress:Service:Database"] = Path.Combine(dir, "experiments.db"),
            ["AutoCompress:Service:Token"] = Token,
            ["AutoCompress:Service:PluginDirectories:0"] = plugins,
            ["AutoCompress:Service:Slots"] = "2",
        };
        var app = AutoCompress.Service.ServiceHost.Build([], settings);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new TestHost(app, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
    }

    /// <summary>Creates an experiment and waits until it has ended; returns its id.</summary>
    public async Task<string> RunAsync(string spec, TimeSpan patience)
    {
        using var created = await Http.PostAsync(new Uri("api/experiments", UriKind.Relative), new StringContent(spec, Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, body);
        var id = JsonNode.Parse(body)!["experiment_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var progress = await ProgressAsync(id);
            var status = progress["status"]!.GetValue<string>();
            if (status is "completed" or "failed" or "cancelled") return id;
            if (DateTime.UtcNow > deadline) Assert.Fail($"experiment {id} still {status}");
            await Task.Delay(100);
        }
    }

    /// <summary>The experiment's progress (status, completed, failed, best_value...).</summary>
    public async Task<JsonNode> ProgressAsync(string id) =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri($"api/experiments/{id}", UriKind.Relative)))!["progress"]!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
