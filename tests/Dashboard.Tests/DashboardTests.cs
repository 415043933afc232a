using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenQA.Selenium;

namespace AutoCompress.Dashboard.Tests;

/// <summary>
/// The dashboard in headless Chromium against the real service: sign in, the experiments list, an experiment's
/// Pareto scatter, hypervolume, trial table and trial details checked against what the API holds, live updates from
/// the event stream, the control buttons, and screenshots whose pixels are checked.
/// </summary>
[Collection(ServiceGroup.Name)]
public sealed partial class DashboardTests(ServiceFixture service)
{
    [Fact]
    public async Task Signing_in_with_the_token_lists_the_experiments_and_a_wrong_token_is_refused()
    {
        using var b = new Browser();
        b.Driver.Navigate().GoToUrl(service.BaseUrl + "/");
        b.Find("#token");
        Assert.False(b.Visible("#list-view"));
        // The page-error collector sees errors (so AssertNoPageErrors can fail).
        b.Script("setTimeout(() => { throw new Error('collector check'); });");
        b.Until(() => ((IEnumerable<object>)b.Script("return window.__errors;")!).Any(), "the collector to see a thrown error");
        b.Script("window.__errors = [];");
        var login = Screenshot(b, "01-login");
        Assert.True(login.SaturatedPixels(b.Rect("#login-form")) < 50, "the login box should be plain (no chart marks)");

        b.Find("#token").SendKeys("not-the-token-at-all-000");
        b.Click("#login-button");
        b.Until(() => b.Text("#login-error").Contains("refused", StringComparison.Ordinal), "the wrong token to be refused");
        Assert.False(b.Visible("#list-view"));
        Assert.Null(b.Script("return sessionStorage.getItem('autocompress.token');"));

        SignIn(b);
        var id = service.Nb201.ToString();
        b.Until(() => b.Count($"#experiments tbody tr[data-id='{id}']") == 1, "the nb201 experiment in the list");
        var progress = await service.ProgressAsync(service.Nb201);
        var row = $"#experiments tbody tr[data-id='{id}']";
        Assert.Equal("nb201-random", b.Text(row + " a.exp-link"));
        Assert.Equal("completed", b.Text(row + " .status"));
        Assert.StartsWith("200/200", b.Text(row + " .progress-cell"), StringComparison.Ordinal);
        var best = b.Text(row + " td.best");
        Assert.Equal(progress["best_value"]!.GetValue<double>(), Number(best.Split(' ')[0]), 4);
        Assert.EndsWith($"(#{progress["best_trial_seq"]!.GetValue<long>()})", best, StringComparison.Ordinal);
        Assert.Equal(ServiceFixture.Token, b.Script("return sessionStorage.getItem('autocompress.token');"));

        // A malformed spec pasted into "New experiment" is refused naming the field, and nothing is created.
        const string Broken = """{"name": "broken", "evaluator": "nb201", "objectives": [{"metric": "validation_accuracy", "direction": "maximize"}]}""";
        using var refused = await service.Api.PostAsync(new Uri("/api/experiments", UriKind.Relative), new StringContent(Broken, System.Text.Encoding.UTF8, "application/json"));
        var field = (await refused.Content.ReadFromJsonAsync<JsonNode>())!["field"]!.GetValue<string>();
        var before = (await service.GetAsync("/api/experiments")).AsArray().Count;
        b.Click("#create summary");
        b.Find("#spec").SendKeys(Broken);
        b.Click("#create-button");
        b.Until(() => b.Text("#create-error").Contains($"(field: {field})", StringComparison.Ordinal), $"the refusal naming the field '{field}'");
        Assert.Equal(before, (await service.GetAsync("/api/experiments")).AsArray().Count);
        Assert.Equal(before, b.Count("#experiments tbody tr"));

        // The token survives a reload of the tab, and signing out forgets it.
        b.Driver.Navigate().Refresh();
        b.Until(() => b.Count($"#experiments tbody tr[data-id='{id}']") == 1, "the list again after a reload, without signing in");
        Assert.False(b.Visible("#login"));
        Screenshot(b, "02-experiments");
        b.AssertNoPageErrors();
        b.Click("#logout");
        b.Until(() => b.Visible("#token"), "the login box after signing out");
        Assert.Null(b.Script("return sessionStorage.getItem('autocompress.token');"));
    }

    [Fact]
    public async Task An_experiment_shows_every_completed_trial_in_the_scatter_its_front_hypervolume_table_and_details()
    {
        var id = service.Nb201;
        var trials = await service.TrialsAsync(id);
        var completed = trials.Where(t => Status(t) == "completed").ToList();
        Assert.Equal(200, completed.Count);
        var progress = await service.ProgressAsync(id);

        using var b = new Browser();
        b.Driver.Navigate().GoToUrl(service.BaseUrl + "/");
        SignIn(b);
        b.Click($"#experiments tr[data-id='{id}'] a.exp-link");
        b.Until(() => b.Count("#scatter circle.point") == completed.Count, $"{completed.Count} points in the scatter");
        Assert.Equal("nb201-random", b.Text("#exp-name"));
        Assert.Equal("completed", b.Text("#exp-status"));
        Assert.Equal(200, b.LongOf("#completed"));
        Assert.StartsWith("validation_accuracy", b.Text("#y-metric"), StringComparison.Ordinal);
        // Every metric the trials report but the accuracy is a cost to choose; the default is the MACs.
        var metrics = completed[0]["metrics"]!.AsObject().Select(kv => kv.Key).Where(k => k != "validation_accuracy").Order(StringComparer.Ordinal).ToList();
        var options = ((IEnumerable<object>)b.Script("return [...document.querySelectorAll('#cost-metric option')].map(o => o.value);")!).Cast<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(metrics, options);
        Assert.Equal("macs", b.Script("return document.getElementById('cost-metric').value;"));
        Assert.Contains("latency_ms_pixel3", options);

        // The red points are exactly the non-dominated trials (accuracy up, cost down), and the hypervolume shown is theirs.
        AssertFront(b, completed, "macs");
        AssertHypervolume(b, completed, "macs");
        Assert.Equal(1, b.Count("#hv path.hv-line"));
        b.Until(() => b.Text("#pareto-summary").Contains("1 of 200 evaluated", StringComparison.Ordinal), "the server's front under the spec's single objective");

        // The trial table: every trial, filtered by status, sorted by a metric from its column header.
        Assert.Equal(trials.Count, b.Count("#trials tbody tr"));
        Assert.Equal($"{trials.Count} of {trials.Count} trials", b.Text("#trial-count"));
        b.Click("#status-filter option[value='failed']");
        b.Until(() => b.Count("#trials tbody tr") == 0, "no rows for the failed filter");
        Assert.Equal($"0 of {trials.Count} trials", b.Text("#trial-count"));
        b.Click("#status-filter option[value='completed']");
        b.Until(() => b.Count("#trials tbody tr") == completed.Count, "every completed trial again");
        b.Click("#trials th[data-key='validation_accuracy']");
        b.Until(() => b.Text("#sort-dir") == "descending", "a descending sort by accuracy");
        var shown = ColumnValues(b, "validation_accuracy");
        Assert.Equal(completed.Count, shown.Count);
        Assert.Equal(shown.OrderDescending(), shown);
        Assert.Equal(progress["best_value"]!.GetValue<double>(), shown[0], 4);
        b.Click("#trials th[data-key='validation_accuracy']");
        b.Until(() => b.Text("#sort-dir") == "ascending", "an ascending sort after a second click");
        Assert.Equal(ColumnValues(b, "validation_accuracy").Order(), ColumnValues(b, "validation_accuracy"));

        // Another cost moves the points: the front is recomputed for it.
        b.Click("#cost-metric option[value='parameters']");
        b.Until(() => b.Script("return document.getElementById('cost-metric').value;") as string == "parameters", "the parameters axis");
        b.Until(() => b.Count("#trials th[data-key='parameters']") == 1, "the parameters column");
        Assert.Equal(completed.Count, b.Count("#scatter circle.point"));
        AssertFront(b, completed, "parameters");
        AssertHypervolume(b, completed, "parameters");

        // The screenshot: the whole viewport, not blank, the scatter and hypervolume drawn (coloured marks), red front points.
        b.Script("window.scrollTo(0, 0);");
        var png = Screenshot(b, "03-experiment");
        var scatter = b.Rect("#scatter");
        var hv = b.Rect("#hv");
        Assert.True(scatter.Width > 400 && scatter.Height > 250, $"the scatter is {scatter.Width}x{scatter.Height}");
        Assert.True(scatter.Y + scatter.Height <= png.Height, "the scatter is inside the screenshot");
        Assert.True(png.SaturatedPixels(scatter) > 2000, $"the scatter region has {png.SaturatedPixels(scatter)} coloured pixels");
        Assert.True(png.RedPixels(scatter) > 40, $"the scatter region has {png.RedPixels(scatter)} red (front) pixels");
        Assert.True(png.SaturatedPixels(hv) > 2000, $"the hypervolume region has {png.SaturatedPixels(hv)} coloured pixels");
        var title = b.Rect("#exp-name");
        Assert.True(png.SaturatedPixels(title) < 20, "the title is plain text, not a chart");

        // Trial details: the best trial's metrics and configuration, as the API has them; the URL names the trial.
        var bestSeq = progress["best_trial_seq"]!.GetValue<long>();
        var bestTrial = trials.Single(t => t["seq"]!.GetValue<long>() == bestSeq);
        b.Click("#trials th[data-key='validation_accuracy']");
        b.Until(() => b.Text("#sort-dir") == "descending", "a descending sort again");
        b.Click($"#trials tbody tr[data-seq='{bestSeq}']");
        b.Until(() => b.Text("#trial-title").StartsWith($"Trial #{bestSeq} ", StringComparison.Ordinal), $"the details of trial {bestSeq}");
        Assert.EndsWith($"#/experiments/{id}/trials/{bestSeq}", b.Driver.Url, StringComparison.Ordinal);
        foreach (var (name, value) in bestTrial["metrics"]!.AsObject())
            Assert.Equal(value!.GetValue<double>(), Number(b.Text($"#trial-metrics tr[data-metric='{name}'] td")), 6);
        Assert.Equal(bestTrial["metrics"]!.AsObject().Count, b.Count("#trial-metrics tr[data-metric]"));
        var config = ((IEnumerable<object>)b.Script("return [...document.querySelectorAll('#trial-config tr')].map(r => r.cells[0].textContent + '=' + r.cells[1].textContent);")!).Cast<string>().ToList();
        Assert.Equal(bestTrial["config"]!.AsObject().Select(kv => $"{kv.Key}={kv.Value!.GetValue<string>()}"), config);
        Assert.False(b.Visible("#trial-error"));
        // The trial's log (kept by the orchestrator for every trial) is linked and shown.
        Assert.Equal("trial.log", b.Text("#trial-artifacts a.artifact[data-kind='log']"));
        b.Until(() => b.Text("#trial-log").Contains($"--- attempt 1 of trial {bestSeq} (", StringComparison.Ordinal), "the trial's log");
        Assert.Equal(1, b.Count($"#scatter circle.point.selected[data-seq='{bestSeq}']"));
        b.Script("document.getElementById('trial-details').scrollIntoView();");
        Screenshot(b, "04-trial-details");

        // A point of the scatter opens its trial too.
        var other = b.Driver.FindElement(By.CssSelector("#scatter circle.point:not(.selected)"));
        var otherSeq = other.GetAttribute("data-seq");
        b.Script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}));", other);
        b.Until(() => b.Text("#trial-title").StartsWith($"Trial #{otherSeq} ", StringComparison.Ordinal), $"the details of trial {otherSeq} from its point");
        b.AssertNoPageErrors();
    }

    [Fact]
    public async Task Live_updates_arrive_without_a_reload_and_the_buttons_pause_resume_and_cancel()
    {
        // Slow trials in a worker process: each sleeps 0.4 s and writes a file (an artifact); about half throw instead.
        var id = await service.CreateAsync("""
            {"name": "live-sleepers", "evaluator": "test-eval", "fixed": {"seconds": 0.4, "artifact": true},
             "space": {"parameters": [{"name": "action", "type": "categorical", "choices": ["sleep", "throw"]},
                                      {"name": "value", "type": "continuous", "low": 0, "high": 1}]},
             "objectives": [{"metric": "value", "direction": "maximize"}],
             "budget": {"max_trials": 300, "max_concurrent": 1, "max_attempts": 1}, "seed": 5}
            """);
        using var b = new Browser();
        // A deep link: after signing in, the page opens the experiment it was asked for.
        b.Driver.Navigate().GoToUrl($"{service.BaseUrl}/#/experiments/{id}");
        SignIn(b);
        b.Until(() => b.Text("#exp-name") == "live-sleepers", "the live experiment's page");
        b.Until(() => b.Text("#live") == "live", "the event stream to open");
        b.Until(() => b.LongOf("#completed") >= 1, "a first completed trial");
        b.Script("window.__sameDocument = 'yes';");
        var completed0 = b.LongOf("#completed");
        var rows0 = b.Count("#trials tbody tr");

        b.Until(() => b.LongOf("#completed") >= completed0 + 2, "the completed count to rise by two, without reloading");
        b.Until(() => b.Count("#scatter circle.point") == b.LongOf("#completed"), "a point for each completed trial");
        Assert.True(b.Count("#trials tbody tr") > rows0, "the table grew");
        Assert.Equal("yes", b.Script("return window.__sameDocument;"));
        Assert.EndsWith($"#/experiments/{id}", b.Driver.Url, StringComparison.Ordinal);
        Assert.Equal("running", b.Text("#exp-status"));
        var png = Screenshot(b, "05-live");
        Assert.True(png.SaturatedPixels(b.Rect("#scatter")) > 100, "the live scatter has marks");

        // A failed trial shows its error; a completed one links its file, which downloads with the token.
        await service.WaitForAsync(id, p => p["failed"]!.GetValue<long>() >= 1, "a failed trial");
        b.Until(() => b.Text("#failed") != "0", "the failed count");
        b.Click("#status-filter option[value='failed']");
        b.Until(() => b.Count("#trials tbody tr") >= 1, "the failed trials");
        Assert.All(b.Texts("#trials tbody tr .status"), s => Assert.Equal("failed", s));
        b.Click("#trials tbody tr");
        b.Until(() => b.Visible("#trial-error"), "the failed trial's error");
        Assert.Contains("test-eval was told to throw", b.Text("#trial-error"), StringComparison.Ordinal);

        b.Click("#status-filter option[value='completed']");
        b.Until(() => b.Count("#trials tbody tr .status.failed") == 0 && b.Count("#trials tbody tr") >= 1, "the completed trials");
        var seq = long.Parse(b.Attribute("#trials tbody tr", "data-seq")!, CultureInfo.InvariantCulture);
        b.Click($"#trials tbody tr[data-seq='{seq}']");
        b.Until(() => b.Count("#trial-artifacts a.artifact") == 2, $"trial {seq}'s artifact links");
        var trial = (await service.GetAsync($"/api/experiments/{id}/trials/{seq}"))["trial"]!;
        Assert.Equal(trial["metrics"]!["value"]!.GetValue<double>(), Number(b.Text("#trial-metrics tr[data-metric='value'] td")), 6);
        Assert.Equal($"trial-{trial["trial_id"]!.GetValue<long>()}.txt", b.Text("#trial-artifacts a.artifact[data-kind='txt']"));
        b.Click("#trial-artifacts a.artifact[data-kind='txt']");
        var file = b.Until(() => Directory.GetFiles(b.Downloads, "trial-*.txt").FirstOrDefault(), "the artifact's download");
        Assert.Equal(trial["config"]!["value"]!.GetValue<double>(), double.Parse(File.ReadAllText(file), CultureInfo.InvariantCulture));

        // Pause, resume, cancel (confirmed): the page follows, and the service agrees.
        b.Click("#pause");
        b.Until(() => b.Text("#exp-status") == "paused", "the paused status");
        Assert.Equal("paused", (await service.ProgressAsync(id))["status"]!.GetValue<string>());
        Assert.Null(b.Attribute("#resume", "disabled"));
        Assert.NotNull(b.Attribute("#pause", "disabled"));
        b.Click("#resume");
        b.Until(() => b.Text("#exp-status") == "running", "the running status after resuming");
        var beforeCancel = b.LongOf("#completed");
        b.Until(() => b.LongOf("#completed") > beforeCancel, "trials completing again after resuming");
        b.Click("#cancel");
        b.Until(() =>
        {
            try
            {
                return b.Driver.SwitchTo().Alert();
            }
            catch (NoAlertPresentException)
            {
                return null;
            }
        }, "the confirmation").Accept();
        b.Until(() => b.Text("#exp-status") == "cancelled", "the cancelled status");
        b.Until(() => b.Text("#live") == "ended", "the event stream's end");
        var final = await service.ProgressAsync(id);
        Assert.Equal("cancelled", final["status"]!.GetValue<string>());
        b.Until(() => b.LongOf("#completed") == final["completed"]!.GetValue<long>(), "the final completed count");
        Assert.Equal("yes", b.Script("return window.__sameDocument;"));
        b.AssertNoPageErrors();
    }

    private static void SignIn(Browser b)
    {
        var box = b.Find("#token");
        box.Clear();
        box.SendKeys(ServiceFixture.Token);
        b.Click("#login-button");
        b.Until(() => !b.Visible("#login"), "the login box to go away");
    }

    /// <summary>Saves a screenshot and checks it: the viewport's size, and not blank (many colours).</summary>
    private static Png Screenshot(Browser b, string name)
    {
        var path = b.Save(name);
        var png = Png.Read(path);
        Assert.Equal((Browser.Width, Browser.Height), (png.Width, png.Height));
        var colours = png.DistinctColours();
        Assert.True(colours > 20, $"{path} has only {colours} colours");
        return png;
    }

    private static string Status(JsonNode t) => t["status"]!.GetValue<string>();

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static List<double> ColumnValues(Browser b, string metric) =>
        [.. ((IEnumerable<object>)b.Script($"return [...document.querySelectorAll(\"#trials tbody td[data-metric='{metric}']\")].map(c => c.textContent);")!)
            .Cast<string>().Select(Number)];

    /// <summary>The points to minimise in both: (cost, -accuracy).</summary>
    private static List<(double A, double B)> Points(IEnumerable<JsonNode> completed, string cost) =>
        [.. completed.Select(t => (t["metrics"]![cost]!.GetValue<double>(), -t["metrics"]!["validation_accuracy"]!.GetValue<double>()))];

    private static HashSet<(double, double)> NonDominated(List<(double A, double B)> points) =>
        [.. points.Where(p => !points.Any(q => q.A <= p.A && q.B <= p.B && (q.A < p.A || q.B < p.B)))];

    private static void AssertFront(Browser b, List<JsonNode> completed, string cost)
    {
        var bySeq = completed.ToDictionary(t => t["seq"]!.GetValue<long>());
        var seqs = ((IEnumerable<object>)b.Script("return [...document.querySelectorAll('#scatter circle.point.front')].map(c => c.getAttribute('data-seq'));")!)
            .Cast<string>().Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var shown = Points(seqs.Select(s => bySeq[s]), cost).ToHashSet();
        var expected = NonDominated(Points(completed, cost));
        Assert.True(expected.SetEquals(shown), $"front under {cost}: expected {expected.Count} points, the scatter marks {shown.Count}");
        Assert.Equal(seqs.Count, shown.Count);
        Assert.Contains($"{seqs.Count} on the front of {completed.Count}", b.Text("#front-size"), StringComparison.Ordinal);
    }

    /// <summary>The last hypervolume shown: the front's area up to the worst values seen, over the box of best to worst.</summary>
    private static void AssertHypervolume(Browser b, List<JsonNode> completed, string cost)
    {
        var points = Points(completed, cost);
        double ra = points.Max(p => p.A), rb = points.Max(p => p.B), ia = points.Min(p => p.A), ib = points.Min(p => p.B);
        double hv = 0, prevB = rb;
        foreach (var p in NonDominated(points).OrderBy(p => p.Item1))
        {
            hv += (ra - p.Item1) * (prevB - p.Item2);
            prevB = p.Item2;
        }
        var expected = hv / ((ra - ia) * (rb - ib));
        var text = b.Text("#hv-value");
        var match = HypervolumeText().Match(text);
        Assert.True(match.Success, $"hypervolume text '{text}'");
        Assert.Equal(expected, Number(match.Groups[1].Value), 4);
        Assert.Contains($"validation_accuracy × {cost}", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^now (\S+) \(")]
    private static partial Regex HypervolumeText();
}
