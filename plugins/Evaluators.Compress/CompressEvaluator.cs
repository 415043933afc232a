using System.Diagnostics;
using System.Globalization;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Plugins;
using AutoCompress.Torch;

namespace AutoCompress.Evaluators.Compress;

/// <summary>
/// The evaluator "compress": one trial is one compression pipeline – method plugins (prune, quantize, distill,
/// or a third party's) run one after another on a trained model, each step's output the next one's input – so a
/// search strategy can search per-layer pruning ratios and bit widths (AMC, HAQ), budgets or whole recipes.
/// <para>
/// The configuration (<see cref="CompressConfig"/>) names the model, the data, the training budget and the steps;
/// a strategy's parameters address a step's configuration as dotted keys (<see cref="Pipeline"/>). The methods
/// and cost models are the host's loaded plugins (<see cref="EvaluationContext.Plugins"/>), resolved and every
/// step's configuration validated before anything is trained. Steps run through <see cref="MethodRunner"/>, in
/// their own folders under the work directory's "steps/"; every step gets the original model as its teacher
/// (distillation uses it), the request's seed, and the training budget, whose epochs the request's fidelity replaces.
/// </para>
/// <para>
/// Metrics: the last step's metrics as it reports them (test_accuracy, validation_accuracy, macs, parameters and
/// its own); every step's metrics also as "&lt;step&gt;.&lt;metric&gt;" plus "&lt;step&gt;.seconds"; the cost models'
/// totals for the final model (<see cref="CostMeasurement"/>: by default params, weight_bytes with bit widths and
/// sparsity, peak_activation_bytes, counts_macs); latency_ms from a latency table when one is given
/// (<see cref="LatencyPrediction"/>); and "seconds", the whole trial. Artifacts: the final model (<see cref="FinalModel"/>),
/// whose description JSON is also the result's description.
/// </para>
/// Libtorch runs in this process, so the evaluator needs isolation: it runs in a worker process.
/// </summary>
public sealed class CompressEvaluator : Evaluator
{
    /// <summary>The folder, inside the work directory, of the converted input and each step's output.</summary>
    public const string StepsFolder = "steps";

    public override string Id => "compress";

    public override bool RequiresIsolation => true;

    public override async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, EvaluationContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var config = CompressConfigParser.Parse(request.Config);
        var budget = config.Budget(request.Fidelity);
        var plugins = context.Plugins ?? throw new InvalidOperationException(
            "compress: the host gave no plugin lookup (EvaluationContext.Plugins); the evaluator runs the host's method and cost-model plugins");
        var pipeline = Pipeline.Resolve(config, plugins);
        cancel.ThrowIfCancellationRequested();

        var work = Path.GetFullPath(request.WorkDirectory);
        var stepsRoot = Path.Combine(work, StepsFolder);
        if (Directory.Exists(stepsRoot)) Directory.Delete(stepsRoot, recursive: true); // a retried trial starts clean
        TorchEngine.Threads = budget.Threads;
        var input = InputModel.Load(config, stepsRoot);
        Log(context, $"compress: {input.Description.Name} through {string.Join(" -> ", pipeline.Steps.Select(s => s.Spec.Name))}, " +
                     $"{budget.Epochs.ToString(CultureInfo.InvariantCulture)} epoch(s) per step, seed {request.Seed}");

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var current = input;
        IReadOnlyDictionary<string, double> last = new Dictionary<string, double>();
        foreach (var step in pipeline.Steps)
        {
            cancel.ThrowIfCancellationRequested();
            var spec = step.Spec;
            Log(context, $"compress: step {spec.Index + 1}/{pipeline.Steps.Count} '{spec.Name}' ({step.Method.Id}) {step.ConfigJson}");
            var methodContext = new MethodContext
            {
                WorkDirectory = Path.Combine(stepsRoot, $"{spec.Index}-{spec.Name}"),
                Dataset = config.Dataset, Budget = budget, Teacher = input, Seed = request.Seed, Log = context.Log,
            };
            MethodOutcome outcome;
            using (EvaluatorTelemetry.StartPhase("compress", $"{spec.Name} ({step.Method.Id})"))
                outcome = await MethodRunner.RunAsync(step.Method, current, step.ConfigJson, methodContext,
                    TimeSpan.FromSeconds(config.StepTimeLimitSeconds), cancel).ConfigureAwait(false);
            if (!outcome.Succeeded) throw StepFailed(step, outcome.Error ?? "failed");
            last = outcome.Result!.Metrics;
            foreach (var (k, v) in last) metrics[$"{spec.Name}.{k}"] = v;
            metrics[$"{spec.Name}.seconds"] = outcome.Elapsed.TotalSeconds;
            current = outcome.Result.Model;
        }
        cancel.ThrowIfCancellationRequested();
        foreach (var (k, v) in last) metrics[k] = v;

        var (final, descriptionJson, files) = FinalModel.Save(current, work);
        var artifacts = files.ToList();
        var graph = ModelGraph.Build(final.Description);
        using (EvaluatorTelemetry.StartPhase("cost"))
        {
            CostMeasurement.Add(metrics, graph, pipeline.CostModels);
            if (config.LatencyTable is { } table && LatencyPrediction.Add(metrics, graph, table, config.LatencyMissing, work) is { } measured)
                artifacts.Add(measured);
            if (config.MeasureLatency) LatencyPrediction.Measure(metrics, graph, config.LatencyTable!);
        }
        if (!config.KeepSteps) Directory.Delete(stepsRoot, recursive: true);
        metrics["seconds"] = clock.Elapsed.TotalSeconds;
        Log(context, string.Create(CultureInfo.InvariantCulture,
            $"compress: done in {metrics["seconds"]:F1} s: test accuracy {Get(metrics, "test_accuracy"):P2}, {Get(metrics, "macs"):N0} MACs, {Get(metrics, "weight_bytes"):N0} weight bytes"));
        return new EvaluationResult(metrics, artifacts, descriptionJson);
    }

    // A method's configuration problem stays a ConfigException (the trial's configuration is at fault); anything else
    // the method threw or returned is the step's failure. Either way the message names the step and the dotted keys.
    private static Exception StepFailed(PipelineStep step, string error)
    {
        var message = $"compress: step '{step.Spec.Name}' failed: {error}{step.Blame(error)}";
        var configProblem = error.Contains("invalid configuration", StringComparison.Ordinal)
                            || error.Contains($"threw {nameof(ConfigException)}", StringComparison.Ordinal);
        return configProblem ? new ConfigException(message) : new InvalidOperationException(message);
    }

    private static double Get(Dictionary<string, double> metrics, string key) => metrics.TryGetValue(key, out var v) ? v : double.NaN;

    private static void Log(EvaluationContext context, string line) => context.Log?.Report(line);
}
