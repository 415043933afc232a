using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Orchestrator.Experiments;

namespace AutoCompress.Cli.Remote;

/// <summary>The text the remote commands print: aligned tables for lists, labelled lines for one item.</summary>
internal static class RemoteFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string Experiments(IReadOnlyList<ExperimentProgress> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.Count == 0) return "no experiments\n";
        var table = new TextTable("ID", "NAME", "STATUS", "DONE", "FAILED", "RUNNING", "BEST");
        foreach (var p in list)
            table.Add(p.ExperimentId.ToString(), p.Name, ProgressDisplay.Status(p.Status), $"{p.Completed + p.Failed}/{p.MaxTrials}",
                p.Failed.ToString(Inv), p.Running.ToString(Inv), p.BestValue is { } b ? string.Create(Inv, $"{b:G6} (trial {p.BestTrialSeq})") : "-");
        return table.ToString();
    }

    public static string Experiment(ExperimentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var p = detail.Progress;
        var text = new StringBuilder();
        text.Append(Inv, $"id        {p.ExperimentId}\n");
        text.Append(Inv, $"name      {p.Name}\n");
        text.Append(Inv, $"status    {ProgressDisplay.Status(p.Status)}\n");
        text.Append(Inv, $"created   {detail.CreatedAt:u}\n");
        text.Append(Inv, $"trials    {p.Completed + p.Failed}/{p.MaxTrials} done ({p.Completed} completed, {p.Failed} failed), {p.Running} running, {p.Queued} queued, {p.Retries} retried\n");
        text.Append(Inv, $"best      {(p.BestValue is { } b ? string.Create(Inv, $"{b:G6} (trial {p.BestTrialSeq})") : "-")}\n");
        if (p.Error is { Length: > 0 } error) text.Append(Inv, $"error     {error}\n");
        text.Append("spec\n").Append(detail.Spec?.ToJsonString(RemoteClient.Json) ?? "-").Append('\n');
        return text.ToString();
    }

    /// <summary>The metrics of the spec's objectives, in order (what a trial table shows; the rest is one `trial` away).</summary>
    public static List<string> ObjectiveMetrics(ExperimentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return detail.Spec?["objectives"] is JsonArray objectives
            ? [.. objectives.Select(o => o?["metric"]?.GetValue<string>()).OfType<string>()]
            : [];
    }

    /// <summary>A page of trials: a column per shown metric, then the configuration (and the error of a failed trial).</summary>
    public static string Trials(TrialPage page, IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(metrics);
        var table = new TextTable(["SEQ", "STATUS", "ATTEMPT", "SECONDS", .. metrics.Select(m => m.ToUpperInvariant()), "CONFIG"]);
        foreach (var t in page.Trials)
        {
            var values = metrics.Select(m => t.Metrics is not null && t.Metrics.TryGetValue(m, out var v) ? v.ToString("G6", Inv) : "-");
            var config = Json(t.Config) + (t.Error is { Length: > 0 } e ? $"  error: {OneLine(e)}" : "");
            table.Add([t.Seq.ToString(Inv), t.Status, t.Attempt.ToString(Inv), t.DurationSeconds is { } d ? d.ToString("0.###", Inv) : "-", .. values, config]);
        }
        var text = page.Trials.Count == 0 ? "no trials match\n" : table.ToString();
        var shown = page.Trials.Count == 0 ? "none" : $"{page.Trials.Count}";
        return text + $"{shown} of {page.Total} trial(s) shown (offset {page.Offset}, limit {page.Limit}); all metrics: autocompress remote trial EXPERIMENT SEQ\n";
    }

    public static string Trial(TrialDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var t = detail.Trial;
        var text = new StringBuilder();
        text.Append(Inv, $"trial     {t.Seq} (id {t.TrialId})\n");
        text.Append(Inv, $"status    {t.Status}, attempt {t.Attempt}{(t.Worker is null ? "" : $", worker {t.Worker}")}{(t.DurationSeconds is { } d ? string.Create(Inv, $", {d:0.###} s") : "")}\n");
        if (t.Fidelity is { } f) text.Append(Inv, $"fidelity  {f:G6}\n");
        text.Append(Inv, $"config    {Json(t.Config)}\n");
        text.Append(Inv, $"metrics   {Metrics(t.Metrics)}\n");
        if (t.Error is { Length: > 0 } error) text.Append(Inv, $"error     {error}\n");
        if (detail.Artifacts.Count == 0) text.Append("files     none\n");
        else
        {
            var table = new TextTable("INDEX", "KIND", "NAME", "BYTES", "SHA256");
            foreach (var a in detail.Artifacts) table.Add(a.Index.ToString(Inv), a.Kind, a.Name, a.Bytes.ToString(Inv), a.Sha256);
            text.Append("files\n").Append(table);
        }
        return text.ToString();
    }

    public static string Pareto(ParetoView pareto)
    {
        ArgumentNullException.ThrowIfNull(pareto);
        var objectives = pareto.Objectives.Select(o => $"{o.Metric} ({(o.Direction.StartsWith("max", StringComparison.Ordinal) ? "max" : "min")})").ToList();
        var text = new StringBuilder();
        text.Append(Inv, $"Pareto front: {pareto.Size} of {pareto.Evaluated} evaluated trial(s) under {string.Join(", ", objectives)}");
        text.Append(pareto.Hypervolume is { } hv ? string.Create(Inv, $"; hypervolume {hv:G6}\n") : "\n");
        if (pareto.Front.Count == 0) return text.ToString();
        var table = new TextTable(["SEQ", .. pareto.Objectives.Select(o => o.Metric.ToUpperInvariant()), "CONFIG"]);
        foreach (var m in pareto.Front)
        {
            var values = pareto.Objectives.Select(o => m.Metrics is not null && m.Metrics.TryGetValue(o.Metric, out var v) ? v.ToString("G6", Inv) : "-");
            table.Add([m.Seq.ToString(Inv), .. values, Json(m.Config)]);
        }
        return text.Append(table).ToString();
    }

    /// <summary>"a=1, b=0.5" in key order; "-" when none.</summary>
    public static string Metrics(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is null || metrics.Count == 0 ? "-" : string.Join(", ", metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.ToString("G6", Inv)}"));

    /// <summary>A trial that ended, in one line (live views): the given metrics (all when none are given), or its error.</summary>
    public static string Ended(TrialView t, IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(metrics);
        var shown = t.Metrics is null || metrics.Count == 0 ? t.Metrics
            : t.Metrics.Where(kv => metrics.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var what = shown is { Count: > 0 } ? Metrics(shown) : t.Error is { Length: > 0 } e ? OneLine(e) : "";
        return $"trial {t.Seq} {t.Status}{(what.Length > 0 ? ": " + what : "")}";
    }

    private static string Json(JsonNode? node) => node?.ToJsonString(Compact) ?? "-";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
