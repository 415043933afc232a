using System.Globalization;
using AutoCompress.Contracts.Evaluation;

namespace AutoCompress.TestEvaluator;

/// <summary>
/// The evaluator "test-eval": does what its configuration says (see <see cref="TestEvalConfig"/>), so the
/// orchestrator's tests can make a real worker process sleep, throw, crash natively, hang or log.
/// </summary>
public sealed class BehaviourEvaluator : Evaluator
{
    public override string Id => "test-eval";

    public override async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, EvaluationContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var config = TestEvalConfig.Parse(request.Config);
        var metrics = new Dictionary<string, double>
        {
            ["value"] = config.Value,
            ["pid"] = Environment.ProcessId,
            ["seed"] = request.Seed,
            ["trial_id"] = request.TrialId,
        };
        if (request.Fidelity is { } fidelity) metrics["fidelity"] = fidelity;
        var artifacts = new List<string>();
        switch (config.Action)
        {
            case "sleep":
                // When it slept, so tests can tell whether two trials overlapped.
                metrics["started_unix_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                // A phase span, as real evaluators report "compress", "train", "cost".
                using (AutoCompress.Contracts.Evaluation.EvaluatorTelemetry.StartPhase("sleep", $"{config.Seconds} s"))
                    await Task.Delay(TimeSpan.FromSeconds(config.Seconds), cancel).ConfigureAwait(false);
                metrics["ended_unix_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (config.Artifact)
                {
                    Directory.CreateDirectory(request.WorkDirectory);
                    var path = Path.Combine(request.WorkDirectory, $"trial-{request.TrialId}.txt");
                    await File.WriteAllTextAsync(path, config.Value.ToString(CultureInfo.InvariantCulture), cancel).ConfigureAwait(false);
                    artifacts.Add(path);
                }
                break;
            case "throw":
                throw new InvalidOperationException($"test-eval was told to throw (trial {request.TrialId})");
            case "crash":
                Environment.FailFast($"test-eval crash requested (trial {request.TrialId})");
                break;
            case "segfault":
                Console.Error.WriteLine($"test-eval: reading invalid memory in native code (trial {request.TrialId})");
                metrics["unreachable"] = NativeFaults.Segfault();
                break;
            case "raise":
                NativeFaults.RaiseSegv();
                break;
            case "exit":
                Environment.Exit(config.ExitCode);
                break;
            case "exit_later":
                // Returns normally, then the process dies while the worker is idle.
                new Thread(() =>
                {
                    Thread.Sleep(TimeSpan.FromSeconds(config.Seconds));
                    Environment.Exit(config.ExitCode);
                }) { IsBackground = true }.Start();
                break;
            case "hang":
                // Ignores cancellation, like native code stuck in a kernel.
                Thread.Sleep(Timeout.Infinite);
                break;
            case "log":
                for (var i = 1; i <= config.Lines; i++)
                {
                    context.Log?.Report($"line {i} of {config.Lines}");
                    if (config.Seconds > 0) await Task.Delay(TimeSpan.FromSeconds(config.Seconds / config.Lines), cancel).ConfigureAwait(false);
                }
                // Stray output a careless plugin or a native library might produce: it must not corrupt the worker's protocol.
                Console.WriteLine("test-eval: stray managed stdout line");
                NativeFaults.WriteToStdout("test-eval: stray native stdout line\n");
                metrics["lines"] = config.Lines;
                break;
        }
        return new EvaluationResult(metrics, artifacts);
    }
}
