using AutoCompress.Contracts.Methods;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class ConfigTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-prune-config-").FullName;
    private readonly PruneMethod method = new();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private ConfigException ParseFails(string json) => Assert.Throws<ConfigException>(() => method.ParseConfig(json));

    [Fact]
    public void Defaults_and_snake_case_options_parse()
    {
        var defaults = (PruneConfig)method.ParseConfig("{}");
        Assert.Equal(PruneMode.Structured, defaults.Mode);
        Assert.Equal(0.5, defaults.Ratio);
        Assert.Equal(ImportanceCriterion.L1, defaults.Criterion);
        Assert.Null(defaults.FineTuneEpochs);

        var c = (PruneConfig)method.ParseConfig(
            """{"criterion": "fpgm", "layer_ratios": {"features_0": 0.25}, "target_mac_reduction": 0.5, "fine_tune_epochs": 0.5, "soft": true, "soft_decay": 0.1}""");
        Assert.Equal(ImportanceCriterion.Fpgm, c.Criterion);
        Assert.Equal(0.25, c.LayerRatios["features_0"]);
        Assert.Equal(0.5, c.TargetMacReduction);
        Assert.True(c.Soft);
        Assert.Contains(method.Schema.Parameters, p => p.Name == "criterion" && p.Choices!.SequenceEqual(new[] { "l1", "l2", "fpgm", "taylor" }));
    }

    [Fact]
    public void A_ratio_out_of_range_is_rejected_naming_it()
    {
        Assert.Contains("ratio = 1.5", ParseFails("""{"ratio": 1.5}""").Message, StringComparison.Ordinal);
        Assert.Contains("ratio = -0.1", ParseFails("""{"ratio": -0.1}""").Message, StringComparison.Ordinal);
        Assert.Contains("'features_0' = 1.2", ParseFails("""{"layer_ratios": {"features_0": 1.2}}""").Message, StringComparison.Ordinal);
        Assert.Contains("target_mac_reduction", ParseFails("""{"target_mac_reduction": 1.0}""").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contradicting_options_are_rejected()
    {
        Assert.Contains("not both", ParseFails("""{"target_mac_reduction": 0.5, "target_macs": 1000}""").Message, StringComparison.Ordinal);
        Assert.Contains("structured", ParseFails("""{"mode": "unstructured", "soft": true}""").Message, StringComparison.Ordinal);
        Assert.Contains("structured", ParseFails("""{"mode": "unstructured", "target_macs": 1000}""").Message, StringComparison.Ordinal);
        Assert.Contains("unstructured", ParseFails("""{"scope": "global"}""").Message, StringComparison.Ordinal);
        Assert.Contains("global", ParseFails("""{"mode": "unstructured", "scope": "global", "layer_ratios": {"a": 0.1}}""").Message, StringComparison.Ordinal);
        Assert.Contains("criterion", ParseFails("""{"criterion": "l3"}""").Message, StringComparison.Ordinal);
        ParseFails("""{"ratoi": 0.5}""");
    }

    private ModelArtifact ReferenceArtifact()
    {
        using var model = TestModels.ReferenceCnn();
        return ModelArtifacts.Save(model, Path.Combine(dir, "reference.safetensors"));
    }

    private async Task<ConfigException> RunFails(ModelArtifact artifact, string json)
    {
        var config = method.ParseConfig(json);
        return await Assert.ThrowsAsync<ConfigException>(() =>
            method.RunAsync(artifact, config, new MethodContext { WorkDirectory = dir }, CancellationToken.None));
    }

    [Fact]
    public async Task Layer_ratios_must_name_prunable_layers_of_the_model()
    {
        var artifact = ReferenceArtifact();
        var unknown = await RunFails(artifact, """{"layer_ratios": {"features_99": 0.3}}""");
        Assert.Contains("'features_99' is not a layer of the model", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("features_0, features_4, features_8, classifier_1", unknown.Message, StringComparison.Ordinal);

        var final = await RunFails(artifact, """{"layer_ratios": {"classifier_4": 0.3}}""");
        Assert.Contains("classifier_4", final.Message, StringComparison.Ordinal);
        Assert.Contains("final layer is never pruned", final.Message, StringComparison.Ordinal);

        var bn = await RunFails(artifact, """{"layer_ratios": {"features_1": 0.3}}""");
        Assert.Contains("batch_norm", bn.Message, StringComparison.Ordinal);

        var unstructuredFinal = await RunFails(artifact, """{"mode": "unstructured", "layer_ratios": {"classifier_4": 0.3}}""");
        Assert.Contains("never pruned", unstructuredFinal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Producers_tied_by_a_residual_add_need_one_ratio()
    {
        using var model = new GraphModel(TestModels.Residual(1, 28));
        var artifact = ModelArtifacts.Save(model, Path.Combine(dir, "residual.safetensors"));
        var e = await RunFails(artifact, """{"layer_ratios": {"stem_conv": 0.3, "b1_project": 0.5}}""");
        Assert.Contains("'stem_conv'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'b1_project'", e.Message, StringComparison.Ordinal);
        Assert.Contains("one ratio", e.Message, StringComparison.Ordinal);

        var dw = await RunFails(artifact, """{"layer_ratios": {"b0_dw": 0.5}}""");
        Assert.Contains("depthwise", dw.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_stops()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        var artifact = ReferenceArtifact();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            method.RunAsync(artifact, method.ParseConfig("{}"), new MethodContext { WorkDirectory = dir }, cancel.Token));
    }
}
