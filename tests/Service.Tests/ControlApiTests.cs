using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoCompress.Service.Tests;

/// <summary>Experiments over real HTTP: create and run, pause, resume, cancel and delete, and the server-sent event stream.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-service-").FullName;
    private TestService service = null!;

    public async Task InitializeAsync() => service = await TestService.StartAsync(TestService.Settings(dir, TestPlugins.Install(dir)));

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private async Task<long> TotalAsync(Guid id, string statuses) =>
        (await service.GetAsync($"api/experiments/{id}/trials?status={statuses}&limit=1"))["total"]!.GetValue<long>();

    [Fact]
    public async Task A_created_experiment_is_answered_with_201_and_its_progress_then_listed_shown_and_run_to_the_end()
    {
        using var content = new StringContent(Specs.Square(12, name: "twelve"), Encoding.UTF8, "application/json");
        using var created = await service.Http.PostAsync(new Uri("api/experiments", UriKind.Relative), content);
        var progress = await TestService.BodyAsync(created, HttpStatusCode.Created, "POST /api/experiments");
        var id = Guid.Parse(progress["experiment_id"]!.GetValue<string>());
        Assert.Equal($"/api/experiments/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("twelve", progress["name"]!.GetValue<string>());
        Assert.Equal(12, TestService.Count(progress, "max_trials"));
        Assert.Contains(TestService.Status(progress), new[] { "created", "running" });

        var end = await service.WaitForEndAsync(id);
        Assert.Equal("completed", TestService.Status(end));
        Assert.Equal((12, 0), (TestService.Count(end, "completed"), TestService.Count(end, "failed")));
        // The best value is the smallest x² among the stored trials, and names its trial.
        var trials = await service.StoredTrialsAsync(id);
        var best = trials.MinBy(t => t.Metrics!["square"])!;
        Assert.Equal(best.Metrics!["square"], end["best_value"]!.GetValue<double>(), 12);
        Assert.Equal(best.Seq, end["best_trial_seq"]!.GetValue<long>());

        var detail = await service.GetAsync($"api/experiments/{id}");
        Assert.Equal("twelve", detail["spec"]!["name"]!.GetValue<string>());
        Assert.Equal("test-inproc", detail["spec"]!["evaluator"]!.GetValue<string>());
        var createdAt = detail["created_at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(1));

        var list = (await service.GetAsync("api/experiments")).AsArray();
        var listed = Assert.Single(list)!;
        Assert.Equal((id.ToString(), "completed", 12L), (listed["experiment_id"]!.GetValue<string>(), TestService.Status(listed), TestService.Count(listed, "completed")));
    }

    [Fact]
    public async Task Pause_stops_new_trials_resume_continues_cancel_ends_and_delete_removes_the_experiment()
    {
        var id = await service.CreateAsync(Specs.Square(200, concurrent: 2, seconds: 0.1));
        await service.WaitForAsync(id, p => TestService.Count(p, "completed") >= 2, "two trials to complete");

        var paused = await service.PostAsync($"api/experiments/{id}/pause", null, HttpStatusCode.OK);
        Assert.Equal("paused", TestService.Status(paused!));
        // Running trials finish or go back to the queue; then nothing runs and nothing more completes.
        var deadline = DateTime.UtcNow + TestService.Patience;
        while (await TotalAsync(id, "running") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "trials still run long after the pause");
            await Task.Delay(50);
        }
        var before = TestService.Count(await service.ProgressAsync(id), "completed");
        await Task.Delay(600);
        var after = await service.ProgressAsync(id);
        Assert.Equal(("paused", before), (TestService.Status(after), TestService.Count(after, "completed")));
        Assert.Equal(0, await TotalAsync(id, "running"));
        Assert.True(before < 200);

        var resumed = await service.PostAsync($"api/experiments/{id}/resume", null, HttpStatusCode.OK);
        Assert.Equal("running", TestService.Status(resumed!));
        await service.WaitForAsync(id, p => TestService.Count(p, "completed") >= before + 2, "the resumed experiment to complete more trials");

        var cancelled = await service.PostAsync($"api/experiments/{id}/cancel", null, HttpStatusCode.OK);
        Assert.Equal("cancelled", TestService.Status(cancelled!));
        var end = await service.WaitForEndAsync(id);
        Assert.Equal("cancelled", TestService.Status(end));
        Assert.True(TestService.Count(end, "completed") < 200);
        deadline = DateTime.UtcNow + TestService.Patience;
        while (await TotalAsync(id, "running,pending") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "trials were left running or pending after the cancel");
            await Task.Delay(50);
        }
        var ended = TestService.Count(await service.ProgressAsync(id), "completed");
        await Task.Delay(300);
        Assert.Equal(ended, TestService.Count(await service.ProgressAsync(id), "completed"));
        // Resuming a cancelled experiment does not bring it back.
        Assert.Equal("cancelled", TestService.Status((await service.PostAsync($"api/experiments/{id}/resume", null, HttpStatusCode.OK))!));

        using (var deleted = await service.Http.DeleteAsync(new Uri($"api/experiments/{id}", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await service.GetAsync($"api/experiments/{id}", HttpStatusCode.NotFound);
        await service.GetAsync($"api/experiments/{id}/trials", HttpStatusCode.NotFound);
        Assert.Empty((await service.GetAsync("api/experiments")).AsArray());
        Assert.Empty(await service.Store.ListExperimentsAsync());
    }

    [Fact]
    public async Task Deleting_a_running_experiment_cancels_it_first_and_leaves_the_others_alone()
    {
        var keep = await service.CreateAsync(Specs.Square(5, name: "keep"));
        var drop = await service.CreateAsync(Specs.Square(100, concurrent: 2, seconds: 0.2, name: "drop"));
        await service.WaitForAsync(drop, p => TestService.Count(p, "running") > 0, "a trial to run");
        using (var deleted = await service.Http.DeleteAsync(new Uri($"api/experiments/{drop}", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await service.GetAsync($"api/experiments/{drop}", HttpStatusCode.NotFound);
        Assert.Equal("completed", TestService.Status(await service.WaitForEndAsync(keep)));
        var list = (await service.GetAsync("api/experiments")).AsArray();
        Assert.Equal(keep.ToString(), Assert.Single(list)!["experiment_id"]!.GetValue<string>());
        Assert.Null(await service.Store.GetExperimentAsync(drop));
    }

    [Fact]
    public async Task The_event_stream_sends_progress_every_trial_once_as_it_ends_and_finally_end()
    {
        var id = await service.CreateAsync(Specs.Square(8, concurrent: 2, seconds: 0.15));
        // As a browser's EventSource does: the token in the query string.
        using var response = await service.Anonymous.GetAsync(new Uri($"api/experiments/{id}/events?access_token={TestService.Token}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        var events = new List<(string Name, JsonNode Data)>();
        using var timeout = new CancellationTokenSource(TestService.Patience);
        string? name = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add((name!, JsonNode.Parse(line[6..])!));
        }
        // The server closed the stream after "end".
        Assert.Equal("end", events[^1].Name);
        Assert.Equal(1, events.Count(e => e.Name == "end"));
        var end = events[^1].Data;
        Assert.Equal(("completed", 8L), (TestService.Status(end), TestService.Count(end, "completed")));

        var progress = events.Where(e => e.Name == "progress").Select(e => e.Data).ToList();
        Assert.True(progress.Count >= 3, $"only {progress.Count} progress events in a run of about 0.6 s at a 0.2 s interval");
        Assert.All(progress, p => Assert.Equal(id.ToString(), p["experiment_id"]!.GetValue<string>()));
        var counts = progress.Select(p => TestService.Count(p, "completed")).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.True(counts[0] < 8, "the stream only began after the experiment had ended");

        var trials = events.Where(e => e.Name == "trial").Select(e => e.Data).ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), trials.Select(t => t["seq"]!.GetValue<long>()).Order());
        foreach (var t in trials)
        {
            Assert.Equal("completed", t["status"]!.GetValue<string>());
            var x = t["config"]!["x"]!.GetValue<double>();
            Assert.Equal(x * x, t["metrics"]!["square"]!.GetValue<double>(), 12);
        }
    }
}
