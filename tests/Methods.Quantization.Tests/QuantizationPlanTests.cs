using AutoCompress.Contracts.Methods;
using AutoCompress.Contracts.Models;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

public sealed class QuantizationPlanTests
{
    private static ModelDescription Reference()
    {
        using var model = new ReferenceCnn();
        return ModuleDescriber.Describe(model, [1, 28, 28]).Description;
    }

    [Fact]
    public void Weights_of_every_conv_and_linear_and_outputs_of_activation_layers_are_annotated_with_mixed_precision()
    {
        var d = Reference();
        var q = QuantizationPlan.Annotate(d, new QuantizeConfig
        {
            WeightBits = 4, ActivationBits = 6, Granularity = WeightGranularity.Group, GroupSize = 32,
            LayerBits = new Dictionary<string, int> { ["features_0"] = 8, ["classifier_4"] = 8 },
        });
        var byId = q.Layers.ToDictionary(l => l.Id);
        Assert.Equal(8, byId["features_0"].Compression!.WeightBits);
        Assert.Equal(4, byId["features_4"].Compression!.WeightBits);
        Assert.Equal(4, byId["classifier_1"].Compression!.WeightBits);
        Assert.Equal(8, byId["classifier_4"].Compression!.WeightBits);
        Assert.All(q.Layers.Where(l => l is Conv2dLayer or LinearLayer), l =>
            Assert.Equal((WeightGranularity.Group, (int?)32, (int?)null), (l.Compression!.WeightGranularity, l.Compression.WeightGroupSize, l.Compression.ActivationBits)));
        Assert.All(q.Layers.Where(l => l is ActivationLayer), l => Assert.Equal(6, l.Compression!.ActivationBits));
        Assert.All(q.Layers.Where(l => l is not (Conv2dLayer or LinearLayer or ActivationLayer)), l => Assert.Null(l.Compression));
        ModelGraph.Build(q);

        // Re-quantizing replaces the annotations; the float description drops them all.
        var again = QuantizationPlan.Annotate(q, new QuantizeConfig { ActivationBits = 32 });
        Assert.All(again.Layers.Where(l => l is Conv2dLayer or LinearLayer), l => Assert.Equal(new Compression { WeightBits = 8 }, l.Compression));
        Assert.All(again.Layers.Where(l => l is ActivationLayer), l => Assert.Null(l.Compression));
        Assert.All(QuantizationPlan.Float(q).Layers, l => Assert.Null(l.Compression));
    }

    [Fact]
    public void Kept_channels_and_sparsity_survive_and_the_output_activation_stays_float()
    {
        var d = new ModelDescription
        {
            InputShape = [4],
            Layers =
            [
                new LinearLayer { Id = "fc", OutFeatures = 6, Compression = new Compression { KeptChannels = [0, 2, 3], Sparsity = 0.5 } },
                new ActivationLayer { Id = "hidden" },
                new LinearLayer { Id = "out", OutFeatures = 2 },
                new ActivationLayer { Id = "prob", Function = ActivationFunction.Sigmoid },
            ],
        };
        var q = QuantizationPlan.Annotate(d, new QuantizeConfig());
        Assert.Equal(new Compression { KeptChannels = d.Layers[0].Compression!.KeptChannels, Sparsity = 0.5, WeightBits = 8 }, q.Layers[0].Compression);
        Assert.Equal(8, q.Layers[1].Compression!.ActivationBits);
        Assert.Null(q.Layers[3].Compression);
    }

    [Theory]
    [InlineData("""{"layer_bits": {"features_1": 4}}""", "'features_1', which is not a conv2d or linear layer")]
    [InlineData("""{"layer_bits": {"ghost": 4}}""", "'ghost'")]
    [InlineData("""{"layer_bits": {"features_0": 9}}""", "layer_bits['features_0'] = 9 is outside [2, 8]")]
    [InlineData("""{"activation_bits": 12}""", "activation_bits = 12")]
    public void Config_errors_that_need_the_model_name_the_parameter(string json, string problem)
    {
        var method = new QuantizeMethod();
        var config = (QuantizeConfig)method.ParseConfig(json);
        var e = Assert.Throws<ConfigException>(() => QuantizationPlan.Annotate(Reference(), config));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"weight_bits": 1}""", "weight_bits = 1 is outside [2, 8]")]
    [InlineData("""{"weight_bits": 9}""", "weight_bits = 9")]
    [InlineData("""{"granularity": "per_row"}""", "granularity")]
    [InlineData("""{"calibration": "kl"}""", "calibration")]
    [InlineData("""{"percentile": 50}""", "percentile = 50")]
    [InlineData("""{"mode": "int8"}""", "mode")]
    [InlineData("""{"wieght_bits": 4}""", "wieght_bits")]
    public void Invalid_configs_fail_to_parse_naming_the_parameter(string json, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => new QuantizeMethod().ParseConfig(json));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_lists_every_parameter_with_its_choices()
    {
        var schema = new QuantizeMethod().Schema.Parameters.ToDictionary(p => p.Name);
        Assert.Equal(["activation_bits", "calibration", "calibration_batches", "granularity", "group_size", "layer_bits", "mode", "percentile", "qat_epochs", "weight_bits"],
            schema.Keys.Order());
        Assert.Equal(["ptq", "qat"], schema["mode"].Choices!);
        Assert.Equal(["per_channel", "per_tensor", "group"], schema["granularity"].Choices!);
        Assert.Equal(["min_max", "percentile"], schema["calibration"].Choices!);
        Assert.Equal((2.0, 8.0), (schema["weight_bits"].Min, schema["weight_bits"].Max));
        var parsed = (QuantizeConfig)new QuantizeMethod().ParseConfig("""{"mode": "qat", "granularity": "group", "calibration": "percentile", "layer_bits": {"features_0": 8}}""");
        Assert.Equal((QuantizeMode.Qat, WeightGranularity.Group, CalibrationMethod.Percentile, 8), (parsed.Mode, parsed.Granularity, parsed.Calibration, parsed.LayerBits["features_0"]));
    }
}
