using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AutoCompress.Evaluators.NasBench201;

namespace AutoCompress.StrategyBench;

/// <summary>Turns the runs into the markdown report (stdout) and the JSON lines file.</summary>
internal sealed class Report(
    BenchOptions options,
    Nb201Table table,
    IReadOnlyDictionary<string, SingleRun[]> single,
    IReadOnlyList<Fronts> fronts,
    IReadOnlyDictionary<(string Strategy, string Device), FrontRun[]> frontRuns,
    IReadOnlyDictionary<string, string> failures,
    IReadOnlyList<PublishedRow> published)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly int[] TestedBudgets = [150, 200, 500];
    private const string Baseline = "random";

    private readonly Nb201Cell optimum = table.Cells.MaxBy(c => c.TestAccuracyPercent)!;
    private readonly Nb201Cell bestValid = table.Cells.MaxBy(c => c.ValidationAccuracyPercent)!;

    private double[] Tests(string strategy, int b) => single[strategy].Select(r => r.TestAtBudget[b]).ToArray();

    private sealed record Summary(double Mean, double Median, double Std, double Regret, double MedianRegret, double RegretBestValid,
        double AtOptimum, double Unique, double ValidMean);

    private Summary Summarize(string strategy, int b)
    {
        var runs = single[strategy];
        var test = Tests(strategy, b);
        var regret = test.Select(t => optimum.TestAccuracyPercent - t).ToArray();
        return new Summary(Statistics.Mean(test), Statistics.Median(test), Statistics.Std(test), Statistics.Mean(regret), Statistics.Median(regret),
            Statistics.Mean(test.Select(t => bestValid.TestAccuracyPercent - t).ToArray()),
            test.Count(t => t == optimum.TestAccuracyPercent) / (double)test.Length,
            runs.Average(r => r.UniqueAtBudget[b]), runs.Average(r => r.ValidAtBudget[b]));
    }

    private static string F(double v, int digits = 2) => double.IsNaN(v) ? "—" : v.ToString("F" + digits, Inv);

    private static string P(double p) => double.IsNaN(p) ? "—" : p < 1e-4 ? p.ToString("0.0e+0", Inv) : p.ToString("F4", Inv);

    public string Markdown(TimeSpan elapsed)
    {
        var budgets = options.Budgets;
        var md = new StringBuilder();
        void L(string line = "") => md.Append(line).Append('\n');
        var mode = options.Batch == 1 ? "sequential (ask 1, tell 1)" : $"asynchronous, {options.Batch} suggestions outstanding, results returned oldest first";
        L("## NAS-Bench-201 CIFAR-10: search strategies");
        L();
        L($"{options.Seeds} seeds per strategy (seeds {options.SeedBase}..{options.SeedBase + options.Seeds - 1}), up to {options.Queries} queries per run, {mode}; " +
          "strategies with their default options" + (options.StrategyOptions.Count == 0 ? "" : " except " + string.Join("; ", options.StrategyOptions.Select(kv => $"{kv.Key} {kv.Value}"))) + ".");
        L("The search sees `validation_accuracy` = cifar10valid_xvalid_acc (and the costs); the number reported is cifar10_oritest_acc (%) of the cell with the best validation accuracy found so far.");
        L($"Optimum: {F(optimum.TestAccuracyPercent)} % test accuracy (index {optimum.Index}, the best of the {table.Cells.Count:N0} cells). " +
          $"Best-validation cell: index {bestValid.Index}, test accuracy {F(bestValid.TestAccuracyPercent)} %.");
        L("*regret* = optimum − test accuracy; *regret\\** = test accuracy of the best-validation cell − test accuracy (the target of a search driven by validation accuracy; identical here because the two cells coincide).");
        L();
        foreach (var (name, error) in failures) L($"**{name} failed:** {error}");
        if (failures.Count > 0) L();

        L("### Mean (median) test accuracy, % — by number of queries");
        L();
        L("| strategy | " + string.Join(" | ", budgets) + " |");
        L("|---|" + string.Concat(budgets.Select(_ => "---:|")));
        foreach (var s in single.Keys)
            L($"| {s} | " + string.Join(" | ", budgets.Select((_, b) => { var x = Summarize(s, b); return $"{F(x.Mean)} ({F(x.Median)})"; })) + " |");
        L();

        L("### Detail");
        L();
        L("| strategy | queries | mean | median | std | regret | median regret | regret* | runs at optimum | distinct cells | validation acc. |");
        L("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in single.Keys)
            for (var b = 0; b < budgets.Count; b++)
            {
                var x = Summarize(s, b);
                L($"| {s} | {budgets[b]} | {F(x.Mean)} | {F(x.Median)} | {F(x.Std)} | {F(x.Regret, 3)} | {F(x.MedianRegret, 3)} | {F(x.RegretBestValid, 3)} | {F(100 * x.AtOptimum, 0)} % | {F(x.Unique, 0)} | {F(x.ValidMean)} |");
            }
        var stopped = single.Values.SelectMany(r => r).Where(r => r.Trace.StoppedEarly is not null).ToList();
        if (stopped.Count > 0) L($"\n{stopped.Count} runs stopped early (they keep their last incumbent): " + string.Join("; ", stopped.Take(5).Select(r => $"{r.Strategy} seed {r.Seed} {r.Trace.StoppedEarly}")));
        L();

        if (single.ContainsKey(Baseline) && single.Count > 1)
        {
            L($"### Against random search (two-sided p-values over {options.Seeds} runs each)");
            L();
            L("| strategy | queries | mean − random | median − random | Welch t-test p | Mann-Whitney U p |");
            L("|---|---:|---:|---:|---:|---:|");
            foreach (var s in single.Keys.Where(s => s != Baseline))
                foreach (var q in TestedBudgets)
                {
                    var b = IndexOf(q);
                    if (b < 0) continue;
                    var (mine, theirs) = (Tests(s, b), Tests(Baseline, b));
                    L($"| {s} | {q} | {F(Statistics.Mean(mine) - Statistics.Mean(theirs), 3)} | {F(Statistics.Median(mine) - Statistics.Median(theirs), 3)} | {P(Statistics.WelchP(mine, theirs))} | {P(Statistics.MannWhitneyP(mine, theirs))} |");
                }
            L();
        }

        if (published.Count > 0)
        {
            L("### The NAS-Bench-201 paper (Table 5, CIFAR-10) side by side");
            L();
            L("Paper: mean ± std over 500 runs under a fixed time budget, searching with the 12-epoch validation accuracy; here the 200-epoch validation accuracy is the signal, so equal numbers of queries should do better than the paper.");
            L();
            var ours = TestedBudgets.Where(q => IndexOf(q) >= 0).ToList();
            L("| method (paper) | kind | paper validation | paper test | ours | " + string.Join(" | ", ours.Select(q => $"validation @{q} | test @{q}")) + " |");
            L("|---|---|---:|---:|---|" + string.Concat(ours.Select(_ => "---:|---:|")));
            foreach (var row in published)
            {
                var mine = Published.Ours.TryGetValue(row.Method, out var s) && single.ContainsKey(s) ? s : null;
                var cells = ours.Select(q =>
                {
                    if (mine is null) return " | ";
                    var b = IndexOf(q);
                    var valid = single[mine].Select(r => r.ValidAtBudget[b]).ToArray();
                    var test = Tests(mine, b);
                    return $"{F(Statistics.Mean(valid))} ± {F(Statistics.Std(valid))} | {F(Statistics.Mean(test))} ± {F(Statistics.Std(test))}";
                });
                L($"| {row.Method} | {row.Kind} | {F(row.ValidMean)}{Pm(row.ValidStd)} | {F(row.TestMean)}{Pm(row.TestStd)} | {mine ?? "—"} | {string.Join(" | ", cells)} |");
            }
            L();
        }

        if (fronts.Count > 0)
        {
            L("### Multi-objective: hypervolume of (validation accuracy, latency) as a % of the true front's");
            L();
            L("Objectives: maximize `validation_accuracy`, minimize `latency_ms_<device>`. Hypervolume in (validation accuracy %, latency ms) of every cell queried so far, " +
              "relative to the reference point (lowest validation accuracy in the table, highest latency on that device in the table), i.e. the nadir of all 15,625 cells; " +
              "100 % is the hypervolume of the true front computed from the whole table. Mean ± std over the runs.");
            L();
            L("| device | reference (acc. %, ms) | true front | strategy | " + string.Join(" | ", budgets) + " | runs ≥ 99 % @500 |");
            L("|---|---|---:|---|" + string.Concat(budgets.Select(_ => "---:|")) + "---:|");
            foreach (var front in fronts)
                foreach (var ((s, device), runs) in frontRuns.Where(kv => kv.Key.Device == front.Device))
                {
                    var at500 = IndexOf(500);
                    var reached = at500 < 0 ? "—" : $"{runs.Count(r => r.FractionAtBudget[at500] >= 0.99)}/{runs.Length}";
                    L($"| {device} | ({F(front.Reference[0])}, {F(-front.Reference[1], 1)}) | {front.TrueFront} cells | {s} | " +
                      string.Join(" | ", budgets.Select((_, b) =>
                      {
                          var f = runs.Select(r => 100 * r.FractionAtBudget[b]).ToArray();
                          return $"{F(Statistics.Mean(f))} ± {F(Statistics.Std(f))}";
                      })) + $" | {reached} |");
                }
            L();
        }

        L("### Time");
        L();
        L("| strategy | runs | queries | run time summed over runs, s | µs per query (ask + lookup + tell) |");
        L("|---|---:|---:|---:|---:|");
        foreach (var (s, runs) in single)
        {
            var seconds = runs.Sum(r => r.Trace.Seconds);
            var queries = runs.Sum(r => r.Trace.Cells.Length);
            L($"| {s} | {runs.Length} | {queries:N0} | {F(seconds, 1)} | {F(1e6 * seconds / queries, 1)} |");
        }
        foreach (var ((s, device), runs) in frontRuns)
        {
            var seconds = runs.Sum(r => r.Trace.Seconds);
            var queries = runs.Sum(r => r.Trace.Cells.Length);
            L($"| {s} (accuracy, {device}) | {runs.Length} | {queries:N0} | {F(seconds, 1)} | {F(1e6 * seconds / queries, 1)} |");
        }
        L();
        L($"Wall clock {F(elapsed.TotalSeconds, 1)} s with {options.Threads} threads.");
        return md.ToString();
    }

    private static string Pm(double? std) => std is { } s ? $" ± {F(s)}" : "";

    private int IndexOf(int budget)
    {
        for (var b = 0; b < options.Budgets.Count; b++)
            if (options.Budgets[b] == budget) return b;
        return -1;
    }

    public void WriteJsonLines(string path)
    {
        using var w = new StreamWriter(path);
        void Write(JsonObject o) => w.WriteLine(o.ToJsonString());
        static JsonArray Arr<T>(IEnumerable<T> xs) => new(xs.Select(x => JsonValue.Create(x)).ToArray<JsonNode?>());
        var budgets = options.Budgets;
        Write(new JsonObject
        {
            ["type"] = "meta", ["seeds"] = options.Seeds, ["seed_base"] = options.SeedBase, ["queries"] = options.Queries, ["batch"] = options.Batch,
            ["budgets"] = Arr(budgets), ["accuracy_csv"] = table.AccuracyPath, ["latency_csv"] = table.LatencyPath,
            ["optimum_index"] = optimum.Index, ["optimum_test_accuracy"] = optimum.TestAccuracyPercent,
            ["best_validation_index"] = bestValid.Index, ["best_validation_test_accuracy"] = bestValid.TestAccuracyPercent,
            ["strategy_options"] = new JsonObject(options.StrategyOptions.Select(kv => KeyValuePair.Create(kv.Key, JsonNode.Parse(kv.Value)))),
            ["failures"] = new JsonObject(failures.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        });
        foreach (var (s, runs) in single)
        {
            foreach (var r in runs)
                Write(new JsonObject
                {
                    ["type"] = "run", ["strategy"] = s, ["seed"] = r.Seed, ["budgets"] = Arr(budgets), ["test_accuracy"] = Arr(r.TestAtBudget),
                    ["validation_accuracy"] = Arr(r.ValidAtBudget), ["distinct_cells"] = Arr(r.UniqueAtBudget), ["seconds"] = r.Trace.Seconds,
                    ["stopped_early"] = r.Trace.StoppedEarly,
                });
            for (var b = 0; b < budgets.Count; b++)
            {
                var x = Summarize(s, b);
                Write(new JsonObject
                {
                    ["type"] = "summary", ["strategy"] = s, ["queries"] = budgets[b], ["mean"] = x.Mean, ["median"] = x.Median, ["std"] = x.Std,
                    ["regret_mean"] = x.Regret, ["regret_median"] = x.MedianRegret, ["regret_best_validation_mean"] = x.RegretBestValid,
                    ["at_optimum"] = x.AtOptimum, ["distinct_cells"] = x.Unique, ["validation_mean"] = x.ValidMean,
                });
                if (s != Baseline && single.ContainsKey(Baseline))
                {
                    var (mine, theirs) = (Tests(s, b), Tests(Baseline, b));
                    Write(new JsonObject
                    {
                        ["type"] = "vs_random", ["strategy"] = s, ["queries"] = budgets[b], ["mean_difference"] = Statistics.Mean(mine) - Statistics.Mean(theirs),
                        ["welch_p"] = Statistics.WelchP(mine, theirs), ["mann_whitney_p"] = Statistics.MannWhitneyP(mine, theirs),
                    });
                }
            }
        }
        foreach (var front in fronts)
            Write(new JsonObject
            {
                ["type"] = "true_front", ["device"] = front.Device, ["reference_validation_accuracy"] = front.Reference[0],
                ["reference_latency_ms"] = -front.Reference[1], ["hypervolume"] = front.TrueHypervolume, ["front_size"] = front.TrueFront,
            });
        foreach (var ((s, device), runs) in frontRuns)
        {
            foreach (var r in runs)
                Write(new JsonObject
                {
                    ["type"] = "front_run", ["strategy"] = s, ["device"] = device, ["seed"] = r.Seed, ["budgets"] = Arr(budgets),
                    ["hypervolume_fraction"] = Arr(r.FractionAtBudget), ["seconds"] = r.Trace.Seconds, ["stopped_early"] = r.Trace.StoppedEarly,
                });
            Write(new JsonObject
            {
                ["type"] = "front_summary", ["strategy"] = s, ["device"] = device, ["budgets"] = Arr(budgets),
                ["mean"] = Arr(budgets.Select((_, b) => Statistics.Mean(runs.Select(r => r.FractionAtBudget[b]).ToArray()))),
                ["std"] = Arr(budgets.Select((_, b) => Statistics.Std(runs.Select(r => r.FractionAtBudget[b]).ToArray()))),
            });
        }
        foreach (var row in published)
            Write(new JsonObject
            {
                ["type"] = "published", ["method"] = row.Method, ["kind"] = row.Kind, ["validation_mean"] = row.ValidMean, ["validation_std"] = row.ValidStd,
                ["test_mean"] = row.TestMean, ["test_std"] = row.TestStd,
                ["ours"] = Published.Ours.TryGetValue(row.Method, out var mine) && single.ContainsKey(mine) ? mine : null,
            });
    }
}
