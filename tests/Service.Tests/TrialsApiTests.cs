using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AutoCompress.Service.Tests;

/// <summary>Trials over real HTTP: filtering and paging against the store, one trial, cancelling one, artifacts, the Pareto front.</summary>
public sealed class TrialsApiTests : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-service-").FullName;
    private TestService service = null!;

    public async Task InitializeAsync() => service = await TestService.StartAsync(TestService.Settings(dir, TestPlugins.Install(dir)));

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private async Task<List<long>> Seqs(Guid id, string query, long? total = null)
    {
        var page = await service.GetAsync($"api/experiments/{id}/trials{query}");
        if (total is { } t) Assert.Equal(t, page["total"]!.GetValue<long>());
        return [.. page["trials"]!.AsArray().Select(x => x!["seq"]!.GetValue<long>())];
    }

    private static double X(JsonNode trial) => trial["config"]!["x"]!.GetValue<double>();

    [Fact]
    public async Task Trials_filter_by_status_order_by_a_metric_and_page_by_offset_or_after_seq_as_the_store_holds_them()
    {
        var id = await service.CreateAsync(Specs.SquareOrFail(30));
        Assert.Equal("completed", TestService.Status(await service.WaitForEndAsync(id)));
        var stored = await service.StoredTrialsAsync(id);
        Assert.Equal(30, stored.Count);
        var failed = stored.Where(t => t.Status == Storage.TrialStatus.Failed).Select(t => t.Seq).ToList();
        var completed = stored.Where(t => t.Status == Storage.TrialStatus.Completed).Select(t => t.Seq).ToList();
        Assert.NotEmpty(failed);
        Assert.NotEmpty(completed);
        Assert.Equal(30, failed.Count + completed.Count);

        // Everything, in sequence order; each trial as stored, and its result is its own configuration's (square = x²).
        var all = await service.GetAsync($"api/experiments/{id}/trials?limit=100");
        Assert.Equal(30, all["total"]!.GetValue<long>());
        var trials = all["trials"]!.AsArray().Select(t => t!).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), trials.Select(t => t["seq"]!.GetValue<long>()));
        foreach (var t in trials.Where(t => t["status"]!.GetValue<string>() == "completed"))
            Assert.Equal(X(t) * X(t), t["metrics"]!["square"]!.GetValue<double>(), 12);
        foreach (var t in trials.Where(t => t["status"]!.GetValue<string>() == "failed"))
        {
            Assert.True(t["config"]!["fail"]!.GetValue<bool>());
            Assert.Contains("told to fail", t["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(failed, await Seqs(id, "?status=failed", failed.Count));
        Assert.Equal(completed, await Seqs(id, "?status=completed", completed.Count));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), await Seqs(id, "?status=completed,failed", 30));
        Assert.Empty(await Seqs(id, "?status=running,pending", 0));

        // Ordered by the metric: the completed trials by x² (computed here from their configurations), then those without it.
        var byX = trials.Where(t => t["status"]!.GetValue<string>() == "completed").OrderBy(t => X(t) * X(t)).Select(t => t["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(byX, await Seqs(id, $"?status=completed&order=metric&metric=square&limit={byX.Count}"));
        Assert.Equal(Enumerable.Reverse(byX), await Seqs(id, "?status=completed&order=metric&metric=square&desc=true&limit=100"));
        Assert.Equal(byX.Take(3), await Seqs(id, "?status=completed&order=metric&metric=square&limit=3"));
        Assert.Equal(byX.Skip(2).Take(3), await Seqs(id, "?status=completed&order=metric&metric=square&offset=2&limit=3"));

        // Paging: offset/limit, and keyset paging by seq that walks the whole list without gaps or repeats.
        Assert.Equal(new long[] { 6, 7, 8, 9, 10, 11, 12 }, await Seqs(id, "?offset=5&limit=7", 30));
        Assert.Equal(new long[] { 26, 27, 28, 29, 30 }, await Seqs(id, "?after_seq=25"));
        Assert.Equal(new long[] { 24, 23, 22 }, await Seqs(id, "?after_seq=25&desc=true&limit=3"));
        var walked = new List<long>();
        long after = 0;
        while (await Seqs(id, $"?after_seq={after}&limit=7") is { Count: > 0 } page)
        {
            walked.AddRange(page);
            after = page[^1];
        }
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), walked);
        var failedPage = await Seqs(id, $"?status=failed&after_seq={failed[0]}&limit=2", failed.Count);
        Assert.Equal(failed.Skip(1).Take(2), failedPage);

        // Bad queries are refused naming the parameter.
        foreach (var (query, field) in new[] { ("?status=done", "status"), ("?limit=0", "limit"), ("?offset=-1", "offset"), ("?order=size", "order"), ("?order=metric", "metric") })
        {
            using var response = await service.Http.GetAsync(new Uri($"api/experiments/{id}/trials{query}", UriKind.Relative));
            var body = await TestService.BodyAsync(response, HttpStatusCode.BadRequest, query);
            Assert.Equal(field, body["field"]!.GetValue<string>());
        }

        // One trial: as in the list; one that does not exist is 404.
        var one = await service.GetAsync($"api/experiments/{id}/trials/{completed[0]}");
        var stored0 = stored.Single(t => t.Seq == completed[0]);
        Assert.Equal(stored0.Id, one["trial"]!["trial_id"]!.GetValue<long>());
        Assert.Equal(stored0.Metrics!["square"], one["trial"]!["metrics"]!["square"]!.GetValue<double>());
        // The evaluator wrote no files; the trial's log is kept regardless.
        Assert.Equal(["log"], one["artifacts"]!.AsArray().Select(a => a!["kind"]!.GetValue<string>()));
        await service.GetAsync($"api/experiments/{id}/trials/31", HttpStatusCode.NotFound);
        await service.GetAsync($"api/experiments/{id}/trials/0", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_running_trial_can_be_cancelled_but_not_an_ended_or_unknown_one()
    {
        var id = await service.CreateAsync(Specs.Square(2, concurrent: 2, seconds: 30));
        var running = await WaitForTrialAsync(id, "?status=running", page => page.Count == 2);
        var body = await service.PostAsync($"api/experiments/{id}/trials/1/cancel", null, HttpStatusCode.OK);
        Assert.True(body!["cancelled"]!.GetValue<bool>());
        await WaitForTrialAsync(id, "?status=cancelled", page => page.SequenceEqual([1L]));
        Assert.Equal(new long[] { 2 }, await Seqs(id, "?status=running"));
        // Cancelled already: a conflict that says why; a trial that does not exist: 404.
        var again = await service.PostAsync($"api/experiments/{id}/trials/1/cancel", null, HttpStatusCode.Conflict);
        Assert.Contains("cancelled", again!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        await service.PostAsync($"api/experiments/{id}/trials/9/cancel", null, HttpStatusCode.NotFound);
        Assert.Equal(2, running.Count);
        await service.PostAsync($"api/experiments/{id}/cancel", null, HttpStatusCode.OK);
    }

    private async Task<List<long>> WaitForTrialAsync(Guid id, string query, Func<List<long>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TestService.Patience;
        while (true)
        {
            var seqs = await Seqs(id, query);
            if (condition(seqs)) return seqs;
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited for trials {query}; got {string.Join(", ", seqs)}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_trials_files_are_listed_with_size_and_hash_and_download_as_written()
    {
        var id = await service.CreateAsync(Specs.WithArtifacts(2));
        Assert.Equal("completed", TestService.Status(await service.WaitForEndAsync(id)));
        foreach (var seq in new[] { 1, 2 })
        {
            var detail = await service.GetAsync($"api/experiments/{id}/trials/{seq}");
            var trial = detail["trial"]!;
            var value = trial["config"]!["value"]!.GetValue<long>();
            var artifacts = detail["artifacts"]!.AsArray();
            // The evaluator's file, then the trial's log the orchestrator keeps.
            Assert.Equal(["txt", "log"], artifacts.Select(a => a!["kind"]!.GetValue<string>()));
            Assert.Equal(("trial.log", 1), (artifacts[1]!["name"]!.GetValue<string>(), artifacts[1]!["index"]!.GetValue<int>()));
            var artifact = artifacts[0]!;
            Assert.Equal(("txt", $"trial-{trial["trial_id"]}.txt", 0), (artifact["kind"]!.GetValue<string>(), artifact["name"]!.GetValue<string>(), artifact["index"]!.GetValue<int>()));
            var url = artifact["url"]!.GetValue<string>();
            Assert.Equal($"/api/experiments/{id}/trials/{seq}/artifacts/0", url);

            using var download = await service.Http.GetAsync(new Uri(url.TrimStart('/'), UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            var bytes = await download.Content.ReadAsByteArrayAsync();
            Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(bytes));
            Assert.Equal(artifact["bytes"]!.GetValue<long>(), bytes.Length);
            Assert.Equal(artifact["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(artifact["name"]!.GetValue<string>(), download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            // Without the token the file is not served.
            using var anonymous = await service.Anonymous.GetAsync(new Uri(url.TrimStart('/'), UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        await service.GetAsync($"api/experiments/{id}/trials/1/artifacts/2", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_Pareto_front_holds_exactly_the_non_dominated_completed_trials_and_their_hypervolume()
    {
        var id = await service.CreateAsync(Specs.Nb201TwoObjectives(60));
        Assert.Equal("completed", TestService.Status(await service.WaitForEndAsync(id)));
        var trials = (await service.GetAsync($"api/experiments/{id}/trials?status=completed&limit=100"))["trials"]!.AsArray().Select(t => t!).ToList();
        Assert.Equal(60, trials.Count);
        // Scores with "larger is better": accuracy as is, latency negated.
        var points = trials.Select(t => (Seq: t["seq"]!.GetValue<long>(), A: t["metrics"]!["validation_accuracy"]!.GetValue<double>(),
            L: -t["metrics"]!["latency_ms_pixel3"]!.GetValue<double>())).ToList();
        static bool Dominates((long Seq, double A, double L) p, (long Seq, double A, double L) q) => p.A >= q.A && p.L >= q.L && (p.A > q.A || p.L > q.L);
        var expected = points.Where(q => !points.Any(p => Dominates(p, q))).OrderBy(p => p.Seq).ToList();

        var pareto = await service.GetAsync($"api/experiments/{id}/pareto");
        Assert.Equal(new[] { "validation_accuracy", "latency_ms_pixel3" }, pareto["objectives"]!.AsArray().Select(o => o!["metric"]!.GetValue<string>()));
        Assert.Equal(new[] { "maximize", "minimize" }, pareto["objectives"]!.AsArray().Select(o => o!["direction"]!.GetValue<string>()));
        var front = pareto["front"]!.AsArray().Select(m => m!).ToList();
        Assert.True(expected.Count >= 2, $"a front of {expected.Count} tests little");
        Assert.Equal(expected.Select(p => p.Seq), front.Select(m => m["seq"]!.GetValue<long>()));
        Assert.Equal(expected.Count, pareto["size"]!.GetValue<int>());
        Assert.Equal(60, pareto["evaluated"]!.GetValue<int>());
        Assert.All(front, m => Assert.NotNull(m["config"]!["op_10"]));

        // The 2-D hypervolume against the worst value of each objective among the evaluated trials.
        var (refA, refL) = (points.Min(p => p.A), points.Min(p => p.L));
        double hv = 0, lastL = refL;
        foreach (var p in expected.OrderByDescending(p => p.A).ThenBy(p => p.L))
        {
            if (p.L <= lastL) continue;
            hv += (p.A - refA) * (p.L - lastL);
            lastL = p.L;
        }
        Assert.True(hv > 0);
        Assert.Equal(hv, pareto["hypervolume"]!.GetValue<double>(), 9);
    }
}
