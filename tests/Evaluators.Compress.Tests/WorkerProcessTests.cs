using System.Text.Json.Nodes;
using AutoCompress.Contracts.Models;
using AutoCompress.Orchestrator.Workers;
using Xunit.Abstractions;

namespace AutoCompress.Evaluators.Compress.Tests;

/// <summary>The evaluator as the orchestrator runs it: in a real `autocompress worker` process started by the pool.</summary>
[Collection(CompressGroup.Name)]
public sealed class WorkerProcessTests(CompressFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Prune_then_distill_runs_in_a_worker_process_with_the_original_model_as_teacher_and_the_fidelity_as_epochs()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions
        {
            Slots = 1,
            Worker = WorkerStartInfo.Dotnet(Path.Combine(AppContext.BaseDirectory, "autocompress.dll")),
            PluginDirectories = [fixture.PluginDirectory],
            StartTimeout = TimeSpan.FromSeconds(60),
        });
        // The pool loaded the plugins too, and leaves this evaluator to the workers.
        Assert.DoesNotContain("compress", pool.InProcessEvaluatorIds);

        var config = fixture.BaseConfig(CompressFixture.Step("prune"), CompressFixture.Step("distill", new JsonObject { ["temperature"] = 2 }));
        config["prune.ratio"] = 0.5;
        config["prune.fine_tune_epochs"] = 0;
        config["epochs"] = 3; // replaced by the fidelity
        var request = fixture.Request(config, fidelity: 0.25);

        var outcome = await pool.RunAsync(request, "compress", TimeSpan.FromMinutes(5));

        output.WriteLine(string.Join("\n", outcome.Log));
        Assert.True(outcome.Status == TrialStatus.Completed, $"{outcome.Status}: {outcome.Error}\n{outcome.ErrorDetail}\n{string.Join("\n", outcome.StderrTail)}");
        Assert.False(outcome.InProcess);
        Assert.NotEqual(Environment.ProcessId, outcome.WorkerPid);
        var m = outcome.Result!.Metrics;
        output.WriteLine(string.Join("\n", m.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {kv.Value}")));

        // The teacher was the original model, not the pruned one.
        Assert.Equal(fixture.ReferenceMacs, m["distill.teacher_macs"]);
        Assert.Equal(fixture.ReferenceTestAccuracy, m["distill.teacher_test_accuracy"], tolerance: 0.002);
        Assert.True(m["macs"] < 0.5 * fixture.ReferenceMacs, $"{m["macs"]} MACs");
        Assert.Equal(m["prune.macs"], m["macs"]);
        // Distillation recovered accuracy the un-fine-tuned pruning lost.
        Assert.True(m["test_accuracy"] > m["prune.test_accuracy"], $"distilled {m["test_accuracy"]}, pruned {m["prune.test_accuracy"]}");
        foreach (var key in new[] { "validation_accuracy", "parameters", "params", "weight_bytes", "seconds" })
            Assert.True(m.ContainsKey(key), $"missing metric {key}");
        Assert.Equal(m["parameters"] * 4 + BatchNormBuffers(outcome.Result.Description!), m["weight_bytes"]); // float32 weights

        Assert.Contains(outcome.Log, l => l.Contains("step 2/2 'distill'", StringComparison.Ordinal));
        // The fidelity is the epochs of each step: a quarter epoch trains once over a quarter of the 1,800 training images.
        Assert.Contains(outcome.Log, l => l.Contains("0.25 epoch(s) per step", StringComparison.Ordinal));
        Assert.Contains(outcome.Log, l => l.StartsWith("distill:", StringComparison.Ordinal) && l.Contains("1 epoch(s) over 450 images", StringComparison.Ordinal));
        Assert.Equal(["model.json", "model.safetensors"], outcome.Result.Artifacts.Select(Path.GetFileName));
        Assert.All(outcome.Result.Artifacts, a => Assert.True(File.Exists(a), a));
    }

    // The memory model stores batch-norm running mean and variance too: 8 bytes per channel.
    private static double BatchNormBuffers(string description)
    {
        var graph = ModelGraph.Build(ModelDescription.FromJson(description));
        return graph.Order.Where(n => n.Layer is BatchNormLayer).Sum(n => 8.0 * n.InputShape.Channels);
    }
}
