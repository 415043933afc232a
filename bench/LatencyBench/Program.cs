// For random models from the NAS-Bench-201 cell space (3x32x32 input) and the MobileNetV2-style
// chain (1x28x28), predicts batch-1 latency on this machine from a freshly built lookup table
// (every layer measured alone, summed) and measures the realised model end to end, both with
// libtorch at the same thread count. Prints the share of models predicted within ±10% and the
// RMSPE, per space and overall (nn-Meter reports 99% within ±10% on mobile CPUs).
// Usage: latency-bench [--models-per-space 100] [--threads 1] [--seed 0] [--table PATH]
using System.Globalization;
using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.Latency;
using AutoCompress.Search.Spaces;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

string Opt(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var perSpace = int.Parse(Opt("--models-per-space", "100"), CultureInfo.InvariantCulture);
var threads = int.Parse(Opt("--threads", "1"), CultureInfo.InvariantCulture);
var seed = int.Parse(Opt("--seed", "0"), CultureInfo.InvariantCulture);
var tablePath = Opt("--table", Path.Combine(Path.GetTempPath(), $"ac-latency-{Guid.NewGuid():N}.json"));

TorchEngine.ManualSeed((ulong)seed);
var rng = new Random(seed);
var models = new List<(string Space, ModelDescription Model)>();
for (var i = 0; i < perSpace; i++)
    models.Add(("nb201", Nb201Space.Network(Nb201Space.Format(Nb201Space.FromCode(rng.Next(Nb201Space.Size))))));
for (var i = 0; i < perSpace; i++)
{
    var width = MobileNetV2Space.WidthMultipliers[rng.Next(MobileNetV2Space.WidthMultipliers.Count)];
    models.Add(("mbv2", MobileNetV2Space.Network(MobileNetV2Space.Random(rng), width)));
}

var profiler = new LatencyProfiler(threads: threads);
if (args.Contains("--drift-study"))
{
    // How much the machine's speed drifts, and whether a probe timed just before tracks it.
    var probeDescription = MobileNetV2Space.Network(MobileNetV2Space.Random(new Random(99)), 0.5);
    using var probe = new GraphModel(ModelGraph.Build(probeDescription));
    var subjects = models.Where((_, i) => i % (perSpace / 2) == 0).Take(4).Select(m => new GraphModel(ModelGraph.Build(m.Model))).ToList();
    var samples = new List<(double Probe, double[] Times)>();
    var until = System.Diagnostics.Stopwatch.StartNew();
    while (until.Elapsed.TotalSeconds < double.Parse(Opt("--drift-study", "120"), CultureInfo.InvariantCulture))
    {
        var p = profiler.MeasureModel(probe);
        samples.Add((p, subjects.Select(profiler.MeasureModel).ToArray()));
    }
    for (var k = 0; k < subjects.Count; k++)
    {
        var raw = samples.Select(x => x.Times[k]).ToList();
        var norm = samples.Select(x => x.Times[k] / x.Probe).ToList();
        double Within(List<double> v) { var m = v.Order().ElementAt(v.Count / 2); return v.Count(x => Math.Abs(x / m - 1) <= 0.10) / (double)v.Count; }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model {k}: {samples.Count} samples, raw {raw.Min():F3}..{raw.Max():F3} ms, within ±10% of median: raw {Within(raw) * 100:F0}%, probe-normalised {Within(norm) * 100:F0}%"));
    }
    foreach (var m in subjects) m.Dispose();
    return;
}
var lut = new LatencyLutCostModel(tablePath, MissingKeyPolicy.Measure, profiler);
var context = new CostContext { Threads = threads };
var rows = new List<(string Space, double Predicted, double Measured)>();
var clock = System.Diagnostics.Stopwatch.StartNew();
foreach (var (space, description) in models)
{
    var graph = ModelGraph.Build(description);
    var predicted = lut.Estimate(graph, context)[CostMetrics.LatencyMs];
    using var model = new GraphModel(graph);
    var measured = profiler.MeasureModel(model);
    rows.Add((space, predicted, measured));
    if (rows.Count % 20 == 0) Console.Error.WriteLine($"{rows.Count}/{models.Count} models, {lut.Table.Entries.Count} table entries, {clock.Elapsed.TotalSeconds:F0} s");
}

void Report(string name, IReadOnlyList<(string Space, double Predicted, double Measured)> r)
{
    var errors = r.Select(x => (x.Predicted - x.Measured) / x.Measured).ToList();
    var within = errors.Count(e => Math.Abs(e) <= 0.10) / (double)errors.Count;
    var rmspe = Math.Sqrt(errors.Average(e => e * e));
    var bias = errors.Average();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-8} models {r.Count,4}  within ±10%: {within * 100,5:F1}%  RMSPE {rmspe * 100,5:F2}%  mean error {bias * 100,+6:F2}%  measured {r.Min(x => x.Measured),7:F3}..{r.Max(x => x.Measured),7:F3} ms"));
}
Console.WriteLine($"latency lookup table vs end to end, libtorch {TorchEngine.Version}, {threads} thread(s), batch 1, " +
                  $"{lut.Table.Entries.Count} table entries, overhead {lut.Table.OverheadMs * 1000:F1} µs/forward");
Report("nb201", rows.Where(r => r.Space == "nb201").ToList());
Report("mbv2", rows.Where(r => r.Space == "mbv2").ToList());
Report("all", rows);
