// Orchestrator benchmark. Prints figures and their same-run baselines:
//   throughput: durable trials/s through experiment actor + scheduler + SQLite store, zero-cost in-process evaluator,
//               with the marginal cost per trial around 1k, 10k, 100k and 1M trials of one experiment;
//   overhead:   N one-second trials on S worker processes through the orchestrator, against the ideal (N/S seconds)
//               and against the same trials pushed straight through the worker pool (S concurrent loops).
// Usage: orchestrator-bench [--trials 1000000] [--sleep-trials 80] [--slots 8] [--only throughput|overhead]
using System.Diagnostics;
using System.Globalization;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Orchestrator.Workers;

var inv = CultureInfo.InvariantCulture;
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var trials = long.Parse(Arg("--trials", "1000000"), inv);
var sleepTrials = int.Parse(Arg("--sleep-trials", "80"), inv);
var slots = int.Parse(Arg("--slots", "8"), inv);
var only = Arg("--only", "");
var root = FindRoot();
var plugins = Path.Combine(root, "build", "test-plugins", "Release");
if (!Directory.Exists(Path.Combine(plugins, "InProcessEvaluator"))) throw new InvalidOperationException($"{plugins}: build the solution first");
var dir = Directory.CreateTempSubdirectory("ac-orch-bench-").FullName;
try
{
    if (only is "" or "throughput") await Throughput();
    if (only is "" or "overhead") await Overhead();
}
finally
{
    Directory.Delete(dir, recursive: true);
}
return 0;

async Task Throughput()
{
    await using var service = await Start("throughput.db", 1, inProcessSlots: 64);
    var spec = $$"""
        {"name": "zero-cost", "evaluator": "test-inproc",
         "space": {"parameters": [{"name": "x", "type": "continuous", "low": -1, "high": 1}]},
         "objectives": [{"metric": "square", "direction": "minimize"}],
         "budget": {"max_trials": {{trials}}, "max_concurrent": 512}, "seed": 1}
        """;
    var marks = new List<long> { 1_000, 10_000, 100_000, 1_000_000 }.Where(m => m <= trials).ToList();
    var clock = Stopwatch.StartNew();
    var id = await service.CreateAsync(spec);
    var samples = new List<(double Seconds, long Completed)> { (0, 0) };
    var done = service.WaitAsync(id);
    while (!done.IsCompleted)
    {
        await Task.WhenAny(done, Task.Delay(100));
        var p = await service.GetProgressAsync(id);
        samples.Add((clock.Elapsed.TotalSeconds, p.Completed));
    }
    var end = await done;
    var total = clock.Elapsed.TotalSeconds;
    samples.Add((total, end.Completed));
    Console.WriteLine($"throughput: {end.Completed:N0} durable trials in {total:F1} s = {end.Completed / total:N0} trials/s (goal >= 2,000/s; Optuna ~110/s in memory)");
    // Marginal cost around each mark: the time between the samples bracketing [mark/2, mark] trials.
    double? first = null;
    foreach (var mark in marks)
    {
        var a = Interpolate(samples, mark / 2);
        var b = Interpolate(samples, mark);
        var perTrial = (b - a) / (mark - mark / 2) * 1e6;
        first ??= perTrial;
        Console.WriteLine($"  trials {mark / 2:N0}..{mark:N0}: {perTrial:F1} us/trial ({1e6 / perTrial:N0}/s), ratio to the first window {perTrial / first.Value:F2}");
    }
}

async Task Overhead()
{
    // Baseline first, then the orchestrator, both on fresh pools of the same size.
    var requestConfig = """{"action":"sleep","seconds":1,"value":1}""";
    double poolSeconds;
    await using (var pool = new WorkerPool(PoolOptions()))
    {
        await pool.WarmUpAsync();
        var clock = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, slots).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var n && n <= sleepTrials)
            {
                var outcome = await pool.RunAsync(new EvaluationRequest(n, "bench", requestConfig, null, 0, Path.Combine(dir, "pool")), "test-eval");
                if (outcome.Status != AutoCompress.Orchestrator.Workers.TrialStatus.Completed) throw new InvalidOperationException($"trial {n}: {outcome.Status} {outcome.Error}");
            }
        }));
        poolSeconds = clock.Elapsed.TotalSeconds;
    }
    await using var service = await Start("overhead.db", slots, inProcessSlots: 1);
    await service.Workers.WarmUpAsync();
    var spec = $$"""
        {"name": "one-second", "evaluator": "test-eval", "fixed": {"action": "sleep", "seconds": 1},
         "space": {"parameters": [{"name": "value", "type": "continuous", "low": 0, "high": 1}]},
         "objectives": [{"metric": "value", "direction": "maximize"}],
         "budget": {"max_trials": {{sleepTrials}}, "max_concurrent": {{slots}}}, "seed": 1}
        """;
    var watch = Stopwatch.StartNew();
    var id = await service.CreateAsync(spec);
    var end = await service.WaitAsync(id);
    var seconds = watch.Elapsed.TotalSeconds;
    if (end.Completed != sleepTrials) throw new InvalidOperationException($"only {end.Completed} of {sleepTrials} trials completed");
    var ideal = Math.Ceiling(sleepTrials / (double)slots) * 1.0;
    Console.WriteLine($"overhead: {sleepTrials} one-second trials on {slots} worker processes");
    Console.WriteLine($"  ideal {ideal:F2} s; worker pool alone {poolSeconds:F2} s (+{(poolSeconds / ideal - 1) * 100:F2}%); " +
                      $"orchestrator {seconds:F2} s (+{(seconds / ideal - 1) * 100:F2}% over ideal, {(seconds / poolSeconds - 1) * 100:+0.00;-0.00}% over the pool alone) (goal < 2%; Ray Tune reports 14%)");
}

Task<ExperimentService> Start(string db, int isolatedSlots, int inProcessSlots) => ExperimentService.StartAsync(new ExperimentServiceOptions
{
    DatabasePath = Path.Combine(dir, db),
    WorkRoot = Path.Combine(dir, "work"),
    InProcessSlots = inProcessSlots,
    Workers = PoolOptions() with { Slots = isolatedSlots },
});

WorkerPoolOptions PoolOptions() => new()
{
    Slots = slots,
    Worker = WorkerStartInfo.Dotnet(Path.Combine(AppContext.BaseDirectory, "autocompress.dll")),
    PluginDirectories = [plugins],
};

static double Interpolate(List<(double Seconds, long Completed)> samples, long completed)
{
    for (var i = 1; i < samples.Count; i++)
        if (samples[i].Completed >= completed)
        {
            var (t0, c0) = samples[i - 1];
            var (t1, c1) = samples[i];
            return c1 == c0 ? t1 : t0 + (t1 - t0) * (completed - c0) / (c1 - c0);
        }
    return samples[^1].Seconds;
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
    throw new InvalidOperationException("repository root not found");
}
