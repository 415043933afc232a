using System.Text.Json.Nodes;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Contracts.Methods;

namespace AutoCompress.Evaluators.Compress.Tests;

/// <summary>Bad configurations fail with a <see cref="ConfigException"/> naming the key, before anything is trained.</summary>
[Collection(CompressGroup.Name)]
public sealed class ConfigErrorTests(CompressFixture fixture)
{
    private JsonObject PruneThenQuantize() => fixture.BaseConfig(
        CompressFixture.Step("prune", new JsonObject { ["mode"] = "structured" }), CompressFixture.Step("quantize"));

    private async Task<ConfigException> Fails(JsonObject config, params string[] named)
    {
        var request = fixture.Request(config);
        var e = await Assert.ThrowsAsync<ConfigException>(() => fixture.Evaluate(request));
        foreach (var n in named) Assert.Contains(n, e.Message, StringComparison.Ordinal);
        // Nothing ran: no step folder, no model.
        Assert.False(Directory.Exists(Path.Combine(request.WorkDirectory, "steps")), e.Message);
        return e;
    }

    [Fact]
    public async Task An_unknown_method_is_named_with_the_loaded_ones()
    {
        var config = fixture.BaseConfig(CompressFixture.Step("prune"), CompressFixture.Step("sparsify"));
        var e = await Fails(config, "steps[1].method", "'sparsify'");
        Assert.Contains("distill, prune, quantize", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prune.no_such_knob", "0.5", "'prune.no_such_knob'", "target_mac_reduction")] // lists the parameters
    [InlineData("distill.alpha", "0.5", "'distill.alpha'", "prune, quantize")]                // addresses no step
    [InlineData("prune.ratio.features_0", "0.5", "'prune.ratio.features_0'", "is a number")] // member of a scalar
    [InlineData("prune.ratio", "1.5", "'prune.ratio'", "outside [0, 0.99]")]                  // out of the schema's range
    [InlineData("quantize.mode", "\"int4\"", "'quantize.mode'", "QuantizeMode")]              // not a choice
    [InlineData("prune.", "1", "'prune.'", "<step>.<parameter>")]                             // empty parameter
    [InlineData("epoch", "2", "'epoch'", "unknown setting")]                                  // misspelt setting
    [InlineData("epochs", "0", "'epochs'", "outside")]
    [InlineData("latency_table", "\"/nonexistent/lut.json\"", "'latency_table'", "does not exist")]
    [InlineData("cost_models", "[\"counts\", \"energy\"]", "'cost_models[1]'", "counts, memory")]
    [InlineData("measure_latency", "true", "'measure_latency'", "needs a 'latency_table'")]
    public async Task A_bad_key_is_named(string key, string value, string named, string detail)
    {
        var config = PruneThenQuantize();
        config[key] = JsonNode.Parse(value);
        await Fails(config, named, detail);
    }

    [Fact]
    public async Task Two_steps_of_one_method_need_names_and_are_addressed_by_them()
    {
        var twice = fixture.BaseConfig(CompressFixture.Step("prune"), CompressFixture.Step("prune"));
        await Fails(twice, "steps[1]", "steps[0]", "\"name\"");

        var named = fixture.BaseConfig(CompressFixture.Step("prune"), new JsonObject { ["method"] = "prune", ["name"] = "again" });
        named["again.bogus"] = 1;
        await Fails(named, "'again.bogus'", "step 'again'");
    }

    [Fact]
    public async Task A_layer_the_model_lacks_is_named_with_the_dotted_key_that_set_it()
    {
        // Only the method knows the model's layers, so this fails when the step runs, before it trains.
        var config = fixture.BaseConfig(CompressFixture.Step("quantize"));
        config["quantize.layer_bits.features_1"] = 4; // features_1 is a batch norm
        var request = fixture.Request(config);
        var e = await Assert.ThrowsAsync<ConfigException>(() => fixture.Evaluate(request));
        Assert.Contains("features_1", e.Message, StringComparison.Ordinal);
        Assert.Contains("set by 'quantize.layer_bits.features_1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("step 'quantize'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_files_of_the_wrong_kind_are_refused_naming_the_key()
    {
        var config = PruneThenQuantize();
        config["weights"] = fixture.LatencyTablePath; // a file, but not safetensors
        var e = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Evaluate(fixture.Request(config)));
        Assert.Contains("'weights'", e.Message, StringComparison.Ordinal);
        Assert.Contains("lut.json", e.Message, StringComparison.Ordinal);

        config.Remove("weights");
        config["model"] = new JsonObject { ["description"] = fixture.LatencyTablePath, ["weights"] = fixture.WeightsPath };
        var d = await Assert.ThrowsAsync<ConfigException>(() => fixture.Evaluate(fixture.Request(config)));
        Assert.Contains("'model.description'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_plugin_lookup_the_evaluator_says_what_it_needs()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            fixture.Evaluator.EvaluateAsync(fixture.Request(PruneThenQuantize()), new EvaluationContext(), CancellationToken.None));
        Assert.Contains("EvaluationContext.Plugins", e.Message, StringComparison.Ordinal);
    }
}
