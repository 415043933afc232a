// Strategy benchmark on NAS-Bench-201 CIFAR-10 (issue 6). Every strategy of the StrategyCatalog (or those named with
// --strategies), created by name, searches the benchmark table in process over many seeds: the search sees the
// validation accuracy (cifar10valid_xvalid_acc) and nothing else of the accuracies; after 50..1000 queries the bench
// reads the test accuracy (cifar10_oritest_acc) of the best-validation cell found. A markdown report goes to stdout,
// every run and summary as JSON lines to --out. See BenchOptions.Usage; bench/strategies.sh builds and runs it.
using System.Diagnostics;
using AutoCompress.Contracts.Search;
using AutoCompress.Evaluators.NasBench201;
using AutoCompress.Search.Strategies;
using AutoCompress.StrategyBench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (OperationCanceledException help)
{
    Console.WriteLine(help.Message);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var total = Stopwatch.StartNew();
var folder = Nb201Data.Locate(options.Data);
var table = Nb201Table.LoadFolder(folder);
var oracle = new TableOracle(table);
var catalog = new StrategyCatalog();
var strategies = options.Strategies ?? catalog.Names;
foreach (var s in strategies.Concat(options.MultiObjective ? options.MoStrategies.Where(catalog.Names.Contains) : []))
    if (!catalog.Names.Contains(s.Split('+')[0]))
    {
        Console.Error.WriteLine($"unknown strategy '{s}' (known: {string.Join(", ", catalog.Names)})");
        return 2;
    }
var outPath = options.Out ?? Path.Combine(RepositoryRoot() ?? Environment.CurrentDirectory, "runs", "bench", "strategies.jsonl");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
Console.Error.WriteLine($"table: {table.AccuracyPath}, {table.LatencyPath} ({table.Cells.Count} cells, devices {string.Join(", ", table.Devices)})");
Console.Error.WriteLine($"strategies: {string.Join(", ", strategies)}; {options.Seeds} seeds x {options.Queries} queries, batch {options.Batch}, {options.Threads} threads");

var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads };
IReadOnlyList<Objective> accuracy = [new(Nb201Metrics.ValidationAccuracy, Direction.Maximize)];

// Single objective: validation accuracy.
var single = new Dictionary<string, SingleRun[]>(StringComparer.Ordinal);
var failures = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var strategy in strategies)
{
    var watch = Stopwatch.StartNew();
    var runs = new SingleRun[options.Seeds];
    try
    {
        Parallel.For(0, options.Seeds, parallel, r =>
        {
            var seed = options.SeedBase + r;
            var trace = SearchRun.Run(catalog, strategy, oracle, accuracy, seed, options.Queries, options.Batch, options);
            runs[r] = Results.Read(strategy, seed, trace, oracle, options.Budgets);
        });
        single[strategy] = runs;
        Console.Error.WriteLine($"{strategy}: {options.Seeds} runs in {watch.Elapsed.TotalSeconds:F1} s");
    }
    catch (AggregateException e)
    {
        failures[strategy] = e.InnerExceptions[0].Message;
        Console.Error.WriteLine($"{strategy}: FAILED: {e.InnerExceptions[0]}");
    }
}

// Multi-objective: validation accuracy against the latency on each device.
var fronts = new List<Fronts>();
var frontRuns = new Dictionary<(string Strategy, string Device), FrontRun[]>();
if (options.MultiObjective)
{
    var moStrategies = options.MoStrategies.Where(catalog.Names.Contains).ToList();
    var moSeeds = options.MoSeeds ?? options.Seeds;
    foreach (var device in options.Devices ?? table.Devices)
    {
        var front = new Fronts(table, device);
        fronts.Add(front);
        IReadOnlyList<Objective> objectives = [new(Nb201Metrics.ValidationAccuracy, Direction.Maximize), new(Nb201Metrics.Latency(device), Direction.Minimize)];
        foreach (var strategy in moStrategies)
        {
            var watch = Stopwatch.StartNew();
            var runs = new FrontRun[moSeeds];
            try
            {
                Parallel.For(0, moSeeds, parallel, r =>
                {
                    var seed = options.SeedBase + r;
                    var trace = SearchRun.Run(catalog, strategy, oracle, objectives, seed, options.Queries, options.Batch, options);
                    runs[r] = new FrontRun(strategy, device, seed, front.Fractions(trace, options.Budgets), trace);
                });
                frontRuns[(strategy, device)] = runs;
                Console.Error.WriteLine($"{strategy} on (accuracy, {device}): {moSeeds} runs in {watch.Elapsed.TotalSeconds:F1} s");
            }
            catch (AggregateException e)
            {
                failures[$"{strategy} (accuracy, {device})"] = e.InnerExceptions[0].Message;
                Console.Error.WriteLine($"{strategy} on (accuracy, {device}): FAILED: {e.InnerExceptions[0]}");
            }
        }
    }
}

var published = Published.Read(options.Published ?? Path.Combine(folder, "nb201_published_cifar10.csv"));
var report = new Report(options, table, single, fronts, frontRuns, failures, published);
Console.Write(report.Markdown(total.Elapsed));
report.WriteJsonLines(outPath);
Console.Error.WriteLine($"JSON lines: {outPath}; total {total.Elapsed.TotalSeconds:F1} s");
return failures.Count == 0 ? 0 : 1;

static string? RepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
    return null;
}
