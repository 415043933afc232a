using System.ComponentModel.DataAnnotations;
using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Training.Graph;

namespace AutoCompress.Plugins.Tests;

public enum Criterion
{
    L1,
    L2,
    Fpgm,
}

public sealed record TestConfig
{
    [Range(0.0, 0.9)]
    public double Ratio { get; init; } = 0.5;

    public Criterion Criterion { get; init; } = Criterion.L1;

    [Choices("fast", "exact")]
    public string Mode { get; init; } = "fast";

    [Range(2, 8)]
    public int[] Bits { get; init; } = [8];
}

/// <summary>A method whose behaviour each test picks.</summary>
internal sealed class ScriptedMethod(Func<ModelArtifact, MethodContext, CancellationToken, Task<CompressionResult>> body) : CompressionMethod<TestConfig>
{
    public override string Id => "scripted";

    protected override Task<CompressionResult> RunAsync(ModelArtifact model, TestConfig config, MethodContext context, CancellationToken cancel) =>
        body(model, context, cancel);
}

public sealed class MethodRunnerTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-runner-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly ModelDescription Tiny = new()
    {
        InputShape = [1, 4, 4],
        Layers = [new Conv2dLayer { Id = "c", OutChannels = 2, Kernel = 3 }, new FlattenLayer { Id = "f" }, new LinearLayer { Id = "fc", OutFeatures = 3 }],
    };

    private ModelArtifact Artifact()
    {
        using var model = new GraphModel(Tiny);
        return ModelArtifacts.Save(model, Path.Combine(dir, "in.safetensors"));
    }

    private MethodContext Context => new() { WorkDirectory = dir };

    private Task<MethodOutcome> Run(Func<ModelArtifact, MethodContext, CancellationToken, Task<CompressionResult>> body, string config = "{}", double seconds = 5) =>
        MethodRunner.RunAsync(new ScriptedMethod(body), Artifact(), config, Context, TimeSpan.FromSeconds(seconds));

    private static Task<CompressionResult> Identity(ModelArtifact m) =>
        Task.FromResult(new CompressionResult(m, new Dictionary<string, double> { ["accuracy"] = 0.9 }));

    [Fact]
    public async Task A_good_method_succeeds_and_its_model_loads()
    {
        var outcome = await Run((m, _, _) => Identity(m));
        Assert.True(outcome.Succeeded, outcome.Error);
        using var loaded = ModelArtifacts.Load(outcome.Result!.Model);
        Assert.Equal(0.9, outcome.Result.Metrics["accuracy"]);
    }

    [Fact]
    public async Task A_throwing_method_fails_with_the_exception()
    {
        var outcome = await Run((_, _, _) => throw new InvalidOperationException("no calibration data"));
        Assert.False(outcome.Succeeded);
        Assert.Contains("scripted: threw InvalidOperationException: no calibration data", outcome.Error);
    }

    [Fact]
    public async Task A_hanging_method_fails_after_its_time_limit_even_when_it_ignores_cancellation()
    {
        var outcome = await Run((_, _, _) => new TaskCompletionSource<CompressionResult>().Task, seconds: 0.5);
        Assert.False(outcome.Succeeded);
        Assert.Contains("exceeded its time limit of 0.5 s", outcome.Error);
        var cooperative = await Run(async (_, _, c) =>
        {
            await Task.Delay(Timeout.Infinite, c);
            throw new InvalidOperationException("unreachable");
        }, seconds: 0.5);
        Assert.Contains("exceeded its time limit", cooperative.Error);
    }

    [Fact]
    public async Task An_invalid_returned_model_fails_with_what_is_wrong()
    {
        var cyclic = Tiny with { Layers = [new Conv2dLayer { Id = "c", OutChannels = 2, Kernel = 3, Inputs = ["fc"] }, new FlattenLayer { Id = "f", Inputs = ["c"] }, new LinearLayer { Id = "fc", OutFeatures = 3, Inputs = ["f"] }] };
        var outcome = await Run((m, _, _) => Task.FromResult(new CompressionResult(m with { Description = cyclic }, new Dictionary<string, double>())));
        Assert.Contains("returned an invalid model: layer", outcome.Error);
        Assert.Contains("cycle", outcome.Error);

        var missing = await Run((m, _, _) => Task.FromResult(new CompressionResult(m with { WeightsPath = Path.Combine(dir, "gone.safetensors") }, new Dictionary<string, double>())));
        Assert.Contains("gone.safetensors does not exist", missing.Error);

        var garbage = Path.Combine(dir, "garbage.safetensors");
        File.WriteAllBytes(garbage, [1, 0, 0, 0, 0, 0, 0, 0, (byte)'x']);
        var corrupt = await Run((m, _, _) => Task.FromResult(new CompressionResult(m with { WeightsPath = garbage }, new Dictionary<string, double>())));
        Assert.Contains("garbage.safetensors", corrupt.Error);
    }

    [Fact]
    public async Task An_invalid_configuration_names_the_parameter_and_the_allowed_values()
    {
        Assert.Contains("ratio = 0.95 is outside [0, 0.9]", (await Run((m, _, _) => Identity(m), """{"ratio": 0.95}""")).Error);
        Assert.Contains("mode = 'slow' is not one of fast, exact", (await Run((m, _, _) => Identity(m), """{"mode": "slow"}""")).Error);
        Assert.Contains("bits = 1 is outside [2, 8]", (await Run((m, _, _) => Identity(m), """{"bits": [4, 1]}""")).Error);
        Assert.Contains("invalid configuration", (await Run((m, _, _) => Identity(m), """{"ratoi": 0.5}""")).Error);
        Assert.Contains("invalid configuration", (await Run((m, _, _) => Identity(m), """{"criterion": "random"}""")).Error);
    }

    [Fact]
    public void The_schema_lists_parameters_with_defaults_ranges_and_choices()
    {
        var schema = new ScriptedMethod((m, _, _) => Identity(m)).Schema.Parameters.ToDictionary(p => p.Name);
        Assert.Equal(("number", 0.5, 0.0, 0.9), (schema["ratio"].Type, (double)schema["ratio"].Default!, schema["ratio"].Min!.Value, schema["ratio"].Max!.Value));
        Assert.Equal(new[] { "l1", "l2", "fpgm" }, schema["criterion"].Choices);
        Assert.Equal(new[] { "fast", "exact" }, schema["mode"].Choices);
        Assert.Equal("array", schema["bits"].Type);
        var parsed = (TestConfig)new ScriptedMethod((m, _, _) => Identity(m)).ParseConfig("""{"criterion": "fpgm", "ratio": 0.25}""");
        Assert.Equal((Criterion.Fpgm, 0.25, "fast"), (parsed.Criterion, parsed.Ratio, parsed.Mode));
    }
}
