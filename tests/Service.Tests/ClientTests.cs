using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AutoCompress.Service.Tests;

/// <summary>
/// A running service holding two finished experiments: "square-done" (10 trials of x², in-process) and "with-files"
/// (3 trials of test-eval in a worker process, each keeping a file).
/// </summary>
public sealed class ServerWithData : IAsyncLifetime
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("ac-client-").FullName;

    internal TestService Service { get; private set; } = null!;

    public string Plugins { get; private set; } = "";

    public Guid Square { get; private set; }

    public Guid WithFiles { get; private set; }

    public string Url => Service.Address.ToString();

    public async Task InitializeAsync()
    {
        Plugins = TestPlugins.Install(Dir, broken: true);
        Service = await TestService.StartAsync(TestService.Settings(Dir, Plugins));
        Square = await Service.CreateAsync(Specs.Square(10, name: "square-done"));
        WithFiles = await Service.CreateAsync(Specs.WithArtifacts(3));
        Assert.Equal("completed", TestService.Status(await Service.WaitForEndAsync(Square)));
        Assert.Equal("completed", TestService.Status(await Service.WaitForEndAsync(WithFiles)));
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>`autocompress remote`, `plugins list`, `serve` and `experiment run` as a user runs them, against a real server.</summary>
public sealed class ClientTests(ServerWithData server) : IClassFixture<ServerWithData>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("ac-client-work-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private Task<CliResult> Remote(params string[] args) =>
        Cli.RunAsync(null, work, ["remote", .. args, "--server", server.Url, "--token", TestService.Token]);

    private static void NoStackTrace(CliResult r) => Assert.DoesNotMatch(@"\n\s+at \S+\(", r.Out + r.Err);

    [Fact]
    public async Task List_show_trials_trial_and_pareto_print_what_the_server_holds()
    {
        // The token from the environment works as well as --token.
        var list = await Cli.RunAsync(new Dictionary<string, string?> { ["AUTOCOMPRESS_TOKEN"] = TestService.Token }, work, "remote", "list", "--server", server.Url);
        Assert.True(list.Code == 0, list.ToString());
        Assert.Matches($@"{server.Square}\s+square-done\s+completed\s+10/10\s+0\s+0\s+", list.Out);
        Assert.Matches($@"{server.WithFiles}\s+with-files\s+completed\s+3/3", list.Out);

        // By name; the best trial is the one with the smallest x².
        var trials = (await server.Service.GetAsync($"api/experiments/{server.Square}/trials?order=metric&metric=square"))["trials"]!.AsArray().Select(t => t!).ToList();
        var best = trials[0];
        var show = await Remote("show", "square-done");
        Assert.True(show.Code == 0, show.ToString());
        Assert.Contains($"id        {server.Square}", show.Out, StringComparison.Ordinal);
        Assert.Contains("status    completed", show.Out, StringComparison.Ordinal);
        Assert.Contains($"(trial {best["seq"]})", show.Out, StringComparison.Ordinal);
        Assert.Contains("\"evaluator\": \"test-inproc\"", show.Out, StringComparison.Ordinal);

        // By id prefix; ordered by the metric, three rows, in the server's order.
        var top = await Remote("trials", server.Square.ToString()[..13], "--status", "completed", "--metric", "square", "--limit", "3");
        Assert.True(top.Code == 0, top.ToString());
        var rows = top.Out.Split('\n').Where(l => Regex.IsMatch(l, @"^\d+\s+completed")).ToList();
        Assert.Equal(trials.Take(3).Select(t => t["seq"]!.GetValue<long>()), rows.Select(r => long.Parse(r.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("3 of 10 trial(s) shown", top.Out, StringComparison.Ordinal);

        var json = await Remote("trial", "square-done", "4", "--json");
        Assert.True(json.Code == 0, json.ToString());
        var trial = JsonNode.Parse(json.Out)!["trial"]!;
        var x = trial["config"]!["x"]!.GetValue<double>();
        Assert.Equal((4L, x * x), (trial["seq"]!.GetValue<long>(), trial["metrics"]!["square"]!.GetValue<double>()));

        // One objective: the front is the best trial.
        var pareto = await Remote("pareto", "square-done");
        Assert.True(pareto.Code == 0, pareto.ToString());
        Assert.Contains("Pareto front: 1 of 10 evaluated trial(s) under square (min)", pareto.Out, StringComparison.Ordinal);
        Assert.Matches($@"\n{best["seq"]}\s+{Regex.Escape(best["metrics"]!["square"]!.GetValue<double>().ToString("G6", System.Globalization.CultureInfo.InvariantCulture))}\s+\{{""x"":", pareto.Out);
    }

    [Fact]
    public async Task Failures_print_one_clear_error_line_and_exit_with_1()
    {
        var spec = Path.Combine(work, "bad.json");
        await File.WriteAllTextAsync(spec, Specs.Square(10).Replace("\"max_trials\": 10", "\"max_trials\": 0", StringComparison.Ordinal));
        var unknown = Guid.NewGuid();
        var cases = new (string[] Args, string Expected)[]
        {
            (["remote", "list", "--server", server.Url], "wants a token (401 Unauthorized): pass --token or set AUTOCOMPRESS_TOKEN"),
            (["remote", "list", "--server", server.Url, "--token", "not-the-right-token"], "refused the token (401 Unauthorized)"),
            (["remote", "list", "--server", "http://127.0.0.1:1", "--token", TestService.Token], "cannot reach the AutoCompress server at http://127.0.0.1:1/"),
            (["remote", "list", "--server", "localhost:5080", "--token", TestService.Token], "--server: 'localhost:5080' is not an http(s) URL"),
            (["remote", "show", unknown.ToString(), "--server", server.Url, "--token", TestService.Token], $"experiment {unknown} does not exist"),
            (["remote", "watch", "no-such-experiment", "--server", server.Url, "--token", TestService.Token], "no experiment on"),
            (["remote", "export", "square-done", "99", "--server", server.Url, "--token", TestService.Token], "has no trial 99"),
            (["remote", "create", spec, "--server", server.Url, "--token", TestService.Token], "spec: budget.max_trials must be at least 1, got 0 (field: budget.max_trials)"),
            (["remote", "create", Path.Combine(work, "missing.json"), "--server", server.Url, "--token", TestService.Token], "missing.json does not exist"),
        };
        foreach (var (args, expected) in cases)
        {
            var r = await Cli.RunAsync(null, work, args);
            Assert.True(r.Code == 1, $"{string.Join(' ', args)}: {r}");
            Assert.StartsWith("error: ", r.Err, StringComparison.Ordinal);
            Assert.Contains(expected, r.Err, StringComparison.Ordinal);
            Assert.Single(r.Err.Trim().Split('\n'));
            NoStackTrace(r);
        }
        // The refused spec created nothing.
        Assert.Equal(2, (await server.Service.GetAsync("api/experiments")).AsArray().Count);
    }

    [Fact]
    public async Task Create_with_watch_follows_the_live_events_to_the_end()
    {
        var spec = Path.Combine(work, "watch.json");
        await File.WriteAllTextAsync(spec, Specs.Square(8, concurrent: 2, seconds: 0.25, name: "watched"));
        var r = await Remote("create", spec, "--watch");
        Assert.True(r.Code == 0, r.ToString());
        var id = Regex.Match(r.Out, @"experiment (\S+) created on ").Groups[1].Value;
        Assert.True(Guid.TryParse(id, out _), r.Out);
        Assert.Matches(@"\nwatched \[(created|running)\] trials 0/8 done", r.Out);
        // Every trial's end was reported with its result, and the last line is the final state with the front.
        for (var seq = 1; seq <= 8; seq++) Assert.Matches($@"\ntrial {seq} completed: square=[0-9.E-]+\n", r.Out);
        var last = r.Out.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("watched [completed] trials 8/8 done (0 failed)", last, StringComparison.Ordinal);
        Assert.EndsWith("; front 1", last, StringComparison.Ordinal);
        Assert.Matches(@"time left (\d+s|\d+m\d\ds)", r.Out);
        Assert.Equal("completed", TestService.Status(await server.Service.ProgressAsync(Guid.Parse(id))));
        await server.Service.Http.DeleteAsync(new Uri($"api/experiments/{id}", UriKind.Relative));
    }

    [Fact]
    public async Task Pause_resume_cancel_and_delete_from_the_command_line()
    {
        var id = await server.Service.CreateAsync(Specs.Square(500, concurrent: 1, seconds: 0.2, name: "controlled"));
        var pause = await Remote("pause", "controlled");
        Assert.True(pause.Code == 0, pause.ToString());
        Assert.StartsWith("controlled [paused]", pause.Out, StringComparison.Ordinal);
        Assert.Equal("paused", TestService.Status(await server.Service.ProgressAsync(id)));
        var resume = await Remote("resume", id.ToString());
        Assert.StartsWith("controlled [running]", resume.Out, StringComparison.Ordinal);
        var cancel = await Remote("cancel", "controlled");
        Assert.StartsWith("controlled [cancelled]", cancel.Out, StringComparison.Ordinal);
        Assert.Equal("cancelled", TestService.Status(await server.Service.WaitForEndAsync(id)));
        var delete = await Remote("delete", "controlled");
        Assert.Equal($"experiment {id} deleted", delete.Out.Trim());
        await server.Service.GetAsync($"api/experiments/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Export_downloads_a_trials_files_checks_them_and_writes_what_they_are()
    {
        var detail = await server.Service.GetAsync($"api/experiments/{server.WithFiles}/trials/2");
        var value = detail["trial"]!["config"]!["value"]!.GetValue<long>();
        var name = detail["artifacts"]![0]!["name"]!.GetValue<string>();
        var output = Path.Combine(work, "model");
        var r = await Remote("export", "with-files", "2", "--out", output);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(Path.Combine(output, name)));
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "trial.json")))!;
        Assert.Equal((2L, (double)value), (manifest["seq"]!.GetValue<long>(), manifest["metrics"]!["value"]!.GetValue<double>()));
        Assert.Equal(detail["artifacts"]![0]!["sha256"]!.GetValue<string>(), manifest["files"]![0]!["sha256"]!.GetValue<string>());
        Assert.Equal(new[] { name, "trial.json", "trial.log" }, Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Without a trial number: the best trial (smallest value), into a folder named after it.
        var best = (await server.Service.ProgressAsync(server.WithFiles))["best_trial_seq"]!.GetValue<long>();
        var byBest = await Remote("export", "with-files");
        Assert.True(byBest.Code == 0, byBest.ToString());
        Assert.True(Directory.Exists(Path.Combine(work, $"with-files-trial-{best}")), byBest.Out);

        // A trial whose evaluator wrote no files: its log and what it is.
        var logOnly = Path.Combine(work, "log-only");
        var none = await Remote("export", "square-done", "1", "--out", logOnly);
        Assert.True(none.Code == 0, none.ToString());
        Assert.Equal(new[] { "trial.json", "trial.log" }, Directory.GetFiles(logOnly).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Plugins_list_shows_kind_version_state_and_error_without_a_server()
    {
        var r = await Cli.RunAsync("plugins", "list", "--plugins", server.Plugins);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Matches(@"\ntest-inproc\s+evaluator\s+1\.0\.0\s+loaded\s*\n", r.Out);
        Assert.Matches(@"\nnb201\s+evaluator\s+\S+\s+loaded\s*\n", r.Out);
        Assert.Matches(@"\nbroken-evaluator\s+evaluator\s+0\.0\.1\s+broken\s+.*Missing\.dll", r.Out);
        Assert.Contains("4 plugin(s) in ", r.Out, StringComparison.Ordinal);
        Assert.Contains("; 1 broken", r.Out, StringComparison.Ordinal);

        var missing = await Cli.RunAsync("plugins", "list", "--plugins", Path.Combine(work, "nothing"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("nothing does not exist", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_a_bad_setting_exits_with_1_naming_the_key()
    {
        var db = Path.Combine(work, "serve.db");
        var slots = await Cli.RunAsync("serve", "--db", db, "--token", TestService.Token, "--slots", "0", "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, slots.Code);
        Assert.Contains("error: AutoCompress:Service:Slots must be 1..256, got 0", slots.Err, StringComparison.Ordinal);
        var token = await Cli.RunAsync("serve", "--db", db, "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, token.Code);
        Assert.Contains("error: AutoCompress:Service:Token is required", token.Err, StringComparison.Ordinal);
        NoStackTrace(token);
    }

    [Fact]
    public async Task Experiment_run_draws_a_live_table_on_a_terminal_and_prints_plain_lines_otherwise()
    {
        var spec = Path.Combine(work, "local.json");
        await File.WriteAllTextAsync(spec, Specs.Square(30, concurrent: 2, seconds: 0.2, name: "local"));

        var plain = await Cli.RunAsync(env: null, workingDirectory: work, "experiment", "run", spec, "--db", Path.Combine(work, "plain.db"), "--plugins", server.Plugins);
        Assert.True(plain.Code == 0, plain.ToString());
        Assert.DoesNotContain("\u001b[", plain.Out, StringComparison.Ordinal);
        var lines = plain.Out.Split('\n');
        // Every progress line names the experiment and its budget, even the first one, taken before its actor had started.
        Assert.All(lines.Where(l => l.Contains(" trials ", StringComparison.Ordinal) && l.Contains(" done ", StringComparison.Ordinal)),
            l => Assert.Matches(@"^local \[\w+\] trials \d+/30 done", l));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^local \[running\] trials \d+/30 done .*; front [01]; time left (\d+s|-)$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^local \[running\] .*; time left \d+s$"));
        Assert.Contains(lines, l => l.StartsWith("local [completed] trials 30/30 done (0 failed)", StringComparison.Ordinal));

        var live = await Cli.RunOnTerminalAsync(null, "experiment", "run", spec, "--db", Path.Combine(work, "live.db"), "--plugins", server.Plugins);
        Assert.True(live.Code == 0, live.ToString());
        // Drawn with escape sequences (colours, cursor moves to redraw in place) as a table with the promised columns.
        Assert.Contains("\u001b[", live.Out, StringComparison.Ordinal);
        foreach (var column in new[] { "experiment", "status", "trials done", "running", "failed", "best", "front", "time left" })
            Assert.Contains(column, live.Out, StringComparison.Ordinal);
        var text = Regex.Replace(live.Out, @"\u001b\[[0-9;?]*[A-Za-z]", "");
        Assert.Matches(@"│ local\s+│ completed\s+│ ━+ 30/30\s+│", text);
        Assert.True(Regex.Count(text, @"│ local\s+│ running") >= 2, "the table was not redrawn while the experiment ran:\n" + text);
        Assert.Contains("local [completed] trials 30/30 done (0 failed)", text, StringComparison.Ordinal);
    }
}
