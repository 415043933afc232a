// Compression benchmark: loads the built-in method plugins through the plugin host (exactly as a
// third-party plugin is loaded), applies each to the same trained reference CNN on Fashion-MNIST
// and prints accuracy against MACs, size and measured batch-1 latency. One JSON object per result
// goes to --out so bench/compress.sh can put PyTorch's numbers beside ours.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoCompress.Contracts.Methods;
using AutoCompress.Plugins;
using AutoCompress.Torch;
using AutoCompress.Torch.Serialization;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Methods;
using Microsoft.Extensions.Logging.Abstractions;

var inv = CultureInfo.InvariantCulture;
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var weights = Arg("--weights", "runs/bench/reference.safetensors");
var plugins = Arg("--plugins", Path.Combine(AppContext.BaseDirectory, "../../../../../build/plugins/Release"));
var outPath = Arg("--out", "runs/bench/compress.jsonl");
var work = Arg("--work", "runs/bench/work");
var epochs = double.Parse(Arg("--fine-tune-epochs", "1"), inv);
var studentEpochs = double.Parse(Arg("--student-epochs", "3"), inv);
var threads = int.Parse(Arg("--threads", "2"), inv);
var only = Arg("--only", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
var studySeeds = Arg("--seeds", "1,2").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, inv)).ToArray();
TorchEngine.Threads = threads;

var data = new DatasetSpec { ValidationFraction = 0.1 };
var splits = DatasetLoader.Load(data, 0);
Directory.CreateDirectory(work);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);

// The trained reference, in PyTorch's names (as `autocompress train-reference` writes it), described as a graph.
ModelArtifact Describe(ReferenceCnn net, string name)
{
    var (description, tensors) = ModuleDescriber.Describe(net, [1, 28, 28], name);
    var path = Path.GetFullPath(Path.Combine(work, name + ".safetensors"));
    SafeTensors.Save(path, tensors.Select(kv => (kv.Key, kv.Value)));
    return new ModelArtifact(description, path);
}
ModelArtifact reference;
using (var net = new ReferenceCnn())
{
    using (var scope = TorchEngine.NewDisposeScope()) net.LoadStateDict(SafeTensors.Load(weights));
    reference = Describe(net, "reference");
}
ModelArtifact halfStudent;
TorchEngine.ManualSeed(7);
using (var net = new ReferenceCnn(width: 16, hidden: 64)) halfStudent = Describe(net, "student-half");

using var host = new PluginHost(new PluginHostOptions { Directories = [Path.GetFullPath(plugins)] }, NullLogger<PluginHost>.Instance);
host.LoadAll();
foreach (var p in host.Plugins) Console.Error.WriteLine($"plugin {p.Id}: {p.State} {p.Error}");

var results = new Dictionary<string, (ModelArtifact Model, IReadOnlyDictionary<string, double> Metrics)>();
using var jsonOut = new StreamWriter(outPath, append: false);

// Batch-1 latency of a model against the reference, interleaved in blocks so drift hits both alike.
double LatencyRatio(ModelArtifact model, out double ms, out double referenceMs)
{
    using var a = ModelArtifacts.Load(model);
    using var b = ModelArtifacts.Load(reference);
    a.Eval();
    b.Eval();
    using var noGrad = TorchEngine.NoGrad();
    using var x = Tensor.Randn([1, 1, 28, 28]);
    var ta = new List<double>();
    var tb = new List<double>();
    void Time(GraphModel m, List<double> into, int n)
    {
        for (var i = 0; i < n; i++)
        {
            using var scope = TorchEngine.NewDisposeScope();
            var t0 = Stopwatch.GetTimestamp();
            m.Forward(x);
            into.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
    }
    Time(a, [], 50);
    Time(b, [], 50);
    for (var round = 0; round < 10; round++)
    {
        Time(a, ta, 50);
        Time(b, tb, 50);
    }
    ms = Median(ta);
    referenceMs = Median(tb);
    return ms / referenceMs;
}
static double Median(List<double> v)
{
    var s = v.Order().ToArray();
    return s[s.Length / 2];
}

void Emit(string row, string method, string config, IReadOnlyDictionary<string, double> metrics, double seconds, string? error, ModelArtifact? model)
{
    var record = new Dictionary<string, object?> { ["engine"] = "autocompress", ["row"] = row, ["method"] = method, ["config"] = config, ["seconds"] = seconds, ["error"] = error };
    foreach (var (k, v) in metrics) record[k] = v;
    if (model is not null)
    {
        record["latency_ratio"] = LatencyRatio(model, out var ms, out var refMs);
        record["latency_ms"] = ms;
        record["reference_latency_ms"] = refMs;
        record["weights_file_bytes"] = new FileInfo(model.WeightsPath).Length;
    }
    jsonOut.WriteLine(JsonSerializer.Serialize(record));
    jsonOut.Flush();
    Console.Error.WriteLine($"{row}: {(error ?? string.Join(", ", metrics.Select(kv => $"{kv.Key}={kv.Value.ToString("G5", inv)}")))} ({seconds:F0} s)");
}

async Task Run(string row, string method, string config, string input = "reference", string? teacher = null, double? budgetEpochs = null, double lr = 1e-3, int seed = 0)
{
    if (only.Length > 0 && !only.Contains(row)) return;
    var model = input switch
    {
        "reference" => reference,
        "student-half" => halfStudent,
        _ => results.TryGetValue(input, out var r) ? r.Model : throw new InvalidOperationException($"row {row} needs row {input} first"),
    };
    var context = new MethodContext
    {
        WorkDirectory = Path.GetFullPath(Path.Combine(work, row)), Dataset = data, Seed = seed,
        Budget = new TrainingBudget { Epochs = budgetEpochs ?? epochs, LearningRate = lr, Threads = threads, BatchSize = 128 },
        Teacher = teacher is null ? null : teacher == "reference" ? reference : results[teacher].Model,
        Log = new Progress<string>(l => Console.Error.WriteLine($"  [{row}] {l}")),
    };
    var outcome = await MethodRunner.RunAsync(host.Get<CompressionMethod>(method), model, config, context, TimeSpan.FromHours(1));
    if (outcome.Result is { } res) results[row] = (res.Model, res.Metrics);
    Emit(row, method, config, outcome.Result?.Metrics ?? new Dictionary<string, double>(), outcome.Elapsed.TotalSeconds, outcome.Error, outcome.Result?.Model);
}

if (only.Length == 0 || only.Contains("reference"))
{
    using var net = ModelArtifacts.Load(reference);
    var m = MethodKit.Measure(net, splits);
    m["float_bytes"] = net.StateDict().Sum(t => t.Tensor.NumEl * 4);
    Emit("reference", "none", "", m, 0, null, null);
}
var ft = epochs.ToString(inv);
// Structured pruning to half the MACs, each importance criterion, then fine-tuning.
foreach (var criterion in new[] { "l1", "l2", "fpgm", "taylor" })
    await Run($"prune-{criterion}-50", "prune", $$"""{"mode": "structured", "criterion": "{{criterion}}", "target_mac_reduction": 0.5, "fine_tune_epochs": {{ft}}}""");
// The same uniform ratio PyTorch's ln_structured gets in compress_compare.py, for a like-for-like comparison.
await Run("prune-l1-ratio50-raw", "prune", """{"mode": "structured", "criterion": "l1", "ratio": 0.5, "fine_tune_epochs": 0}""");
await Run("prune-l1-ratio50", "prune", $$"""{"mode": "structured", "criterion": "l1", "ratio": 0.5, "fine_tune_epochs": {{ft}}}""");
await Run("prune-l1-50-soft", "prune", $$"""{"mode": "structured", "criterion": "l1", "target_mac_reduction": 0.5, "soft": true, "fine_tune_epochs": {{ft}}}""");
await Run("prune-l1-75", "prune", $$"""{"mode": "structured", "criterion": "l1", "target_mac_reduction": 0.75, "fine_tune_epochs": {{ft}}}""");
await Run("prune-unstructured-80", "prune", $$"""{"mode": "unstructured", "ratio": 0.8, "fine_tune_epochs": {{ft}}}""");
// Quantization: post-training at 8 and 4 bits, quantization-aware training at 4 and 2 bits, mixed precision.
await Run("ptq-int8-per-channel", "quantize", """{"mode": "ptq", "weight_bits": 8, "activation_bits": 8, "granularity": "per_channel"}""");
await Run("ptq-int8-per-tensor", "quantize", """{"mode": "ptq", "weight_bits": 8, "activation_bits": 8, "granularity": "per_tensor"}""");
await Run("ptq-int8-percentile", "quantize", """{"mode": "ptq", "weight_bits": 8, "activation_bits": 8, "calibration": "percentile"}""");
await Run("ptq-w4a8-group", "quantize", """{"mode": "ptq", "weight_bits": 4, "activation_bits": 8, "granularity": "group", "group_size": 32}""");
await Run("ptq-w4a4", "quantize", """{"mode": "ptq", "weight_bits": 4, "activation_bits": 4}""");
await Run("qat-w4a4", "quantize", $$"""{"mode": "qat", "weight_bits": 4, "activation_bits": 4, "qat_epochs": {{ft}}}""");
await Run("qat-w2a4", "quantize", $$"""{"mode": "qat", "weight_bits": 2, "activation_bits": 4, "qat_epochs": {{ft}}}""");
await Run("qat-mixed", "quantize", $$"""{"mode": "qat", "weight_bits": 4, "activation_bits": 8, "layer_bits": {"features_0": 8, "classifier_1": 2, "classifier_4": 8}, "qat_epochs": {{ft}}}""");
// Distillation: a half-width student trained alone vs taught by the reference, same recipe and epochs.
await Run("student-half-alone", "distill", """{"alpha": 0, "label_smoothing": 0.1}""", "student-half", "reference", studentEpochs, 3e-3);
await Run("student-half-distilled", "distill", """{"alpha": 0.5, "temperature": 2}""", "student-half", "reference", studentEpochs, 3e-3);
// Distillation settings and seeds (run with --only to study them; not part of the default table).
if (only.Length > 0)
{
    foreach (var seed in studySeeds)
    {
        await Run($"student-half-alone-s{seed}", "distill", """{"alpha": 0, "label_smoothing": 0.1}""", "student-half", "reference", studentEpochs, 3e-3, seed);
        await Run($"student-half-distilled-s{seed}", "distill", """{"alpha": 0.9, "temperature": 4}""", "student-half", "reference", studentEpochs, 3e-3, seed);
        await Run($"student-half-distilled-t2-a0.5-s{seed}", "distill", """{"alpha": 0.5, "temperature": 2}""", "student-half", "reference", studentEpochs, 3e-3, seed);
    }
    foreach (var (t, a) in new[] { (2.0, 0.5), (4.0, 0.5), (8.0, 0.9) })
        await Run($"student-half-distilled-t{t}-a{a}", "distill", $$"""{"alpha": {{a}}, "temperature": {{t}}}""", "student-half", "reference", studentEpochs, 3e-3);
}
// Combinations: a pruned network distilled from the original; 4-bit QAT with the original as teacher.
await Run("prune-l1-75-raw", "prune", """{"mode": "structured", "criterion": "l1", "target_mac_reduction": 0.75, "fine_tune_epochs": 0}""");
await Run("prune-l1-75-distilled", "distill", """{"alpha": 0.9, "temperature": 4}""", "prune-l1-75-raw", "reference");
await Run("ptq-w2a4", "quantize", """{"mode": "ptq", "weight_bits": 2, "activation_bits": 4}""");
await Run("qat-w2a4-distilled", "distill", """{"alpha": 0.9, "temperature": 4}""", "ptq-w2a4", "reference");
return 0;
