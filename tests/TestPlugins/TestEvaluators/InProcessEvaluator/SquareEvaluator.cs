using System.Text.Json;
using AutoCompress.Contracts.Evaluation;

namespace AutoCompress.InProcessEvaluator;

/// <summary>
/// The evaluator "test-inproc": squares the configuration's "x", like a lookup-table benchmark answers
/// from memory. Pure managed code, so it declares that it needs no worker process. "seconds" makes it
/// wait (cooperatively) and "fail" makes it throw, to test the in-process outcomes.
/// </summary>
public sealed class SquareEvaluator : Evaluator
{
    public override string Id => "test-inproc";

    public override bool RequiresIsolation => false;

    public override async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, EvaluationContext context, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        using var config = JsonDocument.Parse(request.Config);
        var root = config.RootElement;
        if (!root.TryGetProperty("x", out var xElement) || xElement.ValueKind != JsonValueKind.Number)
            throw new ArgumentException("test-inproc: the configuration needs a number \"x\"", nameof(request));
        var x = xElement.GetDouble();
        if (root.TryGetProperty("fail", out var fail) && fail.ValueKind == JsonValueKind.True)
            throw new InvalidOperationException($"test-inproc was told to fail for x = {x}");
        if (root.TryGetProperty("seconds", out var seconds))
            await Task.Delay(TimeSpan.FromSeconds(seconds.GetDouble()), cancel).ConfigureAwait(false);
        context.Log?.Report($"x = {x}");
        return new EvaluationResult(new Dictionary<string, double> { ["square"] = x * x, ["pid"] = Environment.ProcessId }, []);
    }
}
