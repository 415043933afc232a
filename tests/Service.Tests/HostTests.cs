using System.Net;
using Microsoft.Extensions.Options;

namespace AutoCompress.Service.Tests;

/// <summary>The host: settings validated at start, and a running experiment resumed after a stop and a new start.</summary>
public sealed class HostTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-service-").FullName;
    private readonly string plugins;

    public HostTests() => plugins = TestPlugins.Install(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("Token", "", "AutoCompress:Service:Token is required")]
    [InlineData("Token", null, "AutoCompress:Service:Token is required")]
    [InlineData("Token", "short", "AutoCompress:Service:Token must be at least 16 characters")]
    [InlineData("Slots", "0", "AutoCompress:Service:Slots must be 1..256, got 0")]
    [InlineData("InProcessSlots", "0", "AutoCompress:Service:InProcessSlots must be 1..4096, got 0")]
    [InlineData("EventIntervalSeconds", "0", "AutoCompress:Service:EventIntervalSeconds must be in (0, 60]")]
    [InlineData("PluginDirectories:0", "/no/such/plugins", "AutoCompress:Service:PluginDirectories: /no/such/plugins does not exist")]
    public async Task A_bad_setting_stops_the_host_with_a_message_naming_the_key(string key, string? value, string expected)
    {
        var settings = TestService.Settings(dir, plugins);
        if (value is null) settings.Remove($"{ServiceOptions.Section}:{key}");
        else settings[$"{ServiceOptions.Section}:{key}"] = value;
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestService.StartAsync(settings));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        // Nothing was started: no database was created.
        Assert.False(File.Exists(Path.Combine(dir, "experiments.db")));
    }

    [Fact]
    public async Task A_running_experiment_resumes_after_the_service_is_stopped_and_started_again_on_the_same_database()
    {
        var settings = TestService.Settings(dir, plugins);
        Guid id;
        long completedBefore;
        await using (var first = await TestService.StartAsync(settings))
        {
            id = await first.CreateAsync(Specs.Square(16, concurrent: 2, seconds: 0.15));
            var progress = await first.WaitForAsync(id, p => TestService.Count(p, "completed") >= 4, "four trials to complete");
            completedBefore = TestService.Count(progress, "completed");
            Assert.True(completedBefore < 16);
        }

        await using var second = await TestService.StartAsync(settings);
        using (var health = await second.Anonymous.GetAsync(new Uri("health", UriKind.Relative)))
            Assert.Equal(1, (await TestService.BodyAsync(health, HttpStatusCode.OK, "GET /health"))["experiments_running"]!.GetValue<int>());
        var end = await second.WaitForEndAsync(id);
        Assert.Equal(("completed", 16L, 0L), (TestService.Status(end), TestService.Count(end, "completed"), TestService.Count(end, "failed")));
        // Every trial ran to completion exactly once in the end, and the configurations are exactly those an
        // uninterrupted random search with this seed tries: the restart lost and repeated nothing.
        var trials = await second.StoredTrialsAsync(id);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), trials.Select(t => t.Seq));
        Assert.All(trials, t => Assert.Equal(Storage.TrialStatus.Completed, t.Status));
        var xs = trials.Select(t => System.Text.Json.Nodes.JsonNode.Parse(t.ConfigJson)!["x"]!.GetValue<double>()).ToList();
        Assert.Equal(Specs.ExpectedXs(16), xs);
        Assert.Equal(16, (await second.Store.LatestCheckpointAsync(id))!.ToldCount);
        var listed = Assert.Single((await second.GetAsync("api/experiments")).AsArray())!;
        Assert.Equal(id.ToString(), listed["experiment_id"]!.GetValue<string>());
    }
}
