// Measures, for the reference CNN on real Fashion-MNIST batches (preloaded as tensors, so data
// loading is not timed):
//   (a) training throughput in samples/s: per-step LR, forward, cross-entropy (label smoothing),
//       backward, AdamW step, zero_grad, with the reference recipe (TrainingOptions defaults);
//   (b) inference latency at batch size 1 in eval mode without gradients (median and mean ms).
// The protocol (warm-up, step counts, optimizer) mirrors bench/pytorch/engine_bench.py so that
// bench/engine.sh can print the ratio of the two measured in one run.
using System.Diagnostics;
using System.Globalization;
using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Torch.Optim;
using AutoCompress.Training;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var threads = Arg("--threads", 2);
var batchSize = Arg("--batch-size", 128);
var steps = Arg("--steps", 50);
var warmup = Arg("--warmup", 10);
var latencyIters = Arg("--latency-iters", 500);

TorchEngine.Threads = threads;
TorchEngine.ManualSeed(0);
var train = FashionMnist.Load(null, train: true);
var loader = new BatchLoader(train.All(), new BatchLoaderOptions { BatchSize = batchSize, Shuffle = true, Normalization = Normalization.FashionMnist, DropLast = true });
var batches = new List<(Tensor X, Tensor Y)>();
foreach (var b in loader.Epoch(0))
{
    if (batches.Count == warmup + steps) break;
    var (x, y) = b.ToTensors();
    batches.Add((x.DetachFromScope(), y.DetachFromScope()));
}

using var model = new ReferenceCnn();
model.Train();
var recipe = new TrainingOptions();
using var opt = Adam.W(model.Parameters(), recipe.LearningRate, recipe.WeightDecay);
var totalSteps = (long)recipe.Epochs * ((train.Count + recipe.BatchSize - 1) / recipe.BatchSize);
var schedule = new CosineLr(recipe.LearningRate, totalSteps, (long)(recipe.WarmupFraction * totalSteps));
long step = 0;
void TrainStep((Tensor X, Tensor Y) b)
{
    using var scope = TorchEngine.NewDisposeScope();
    schedule.Apply(opt, step++);
    var loss = Functional.CrossEntropy(model.Forward(b.X), b.Y, recipe.LabelSmoothing);
    opt.ZeroGrad();
    loss.Backward();
    opt.Step();
}
for (var i = 0; i < warmup; i++) TrainStep(batches[i]);
var clock = Stopwatch.StartNew();
for (var i = 0; i < steps; i++) TrainStep(batches[warmup + i]);
clock.Stop();
var samplesPerSecond = steps * batchSize / clock.Elapsed.TotalSeconds;

model.Eval();
using var one = batches[0].X.Narrow(0, 0, 1).Contiguous().DetachFromScope();
var times = new double[latencyIters];
using (TorchEngine.NoGrad())
{
    for (var i = 0; i < 50; i++)
        using (TorchEngine.NewDisposeScope()) model.Forward(one);
    for (var i = 0; i < latencyIters; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        using (TorchEngine.NewDisposeScope()) model.Forward(one);
        times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
Array.Sort(times);
foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"engine\":\"autocompress\",\"torch\":\"{TorchEngine.Version}\",\"threads\":{threads},\"batch_size\":{batchSize}," +
    $"\"train_samples_per_s\":{samplesPerSecond:F1},\"infer_b1_median_ms\":{times[latencyIters / 2]:F4},\"infer_b1_mean_ms\":{times.Average():F4}}}"));
