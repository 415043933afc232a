using AutoCompress.Contracts.Models;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Training;
using AutoCompress.Training.Graph;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization.Tests;

/// <summary>The quantization annotations in descriptions: JSON, validation, and how a GraphModel realises them.</summary>
public sealed class AnnotationTests
{
    private static ModelDescription Model(Compression? conv, Compression? act = null) => new()
    {
        InputShape = [1, 6, 6],
        Layers =
        [
            new Conv2dLayer { Id = "c", OutChannels = 4, Kernel = 3, Compression = conv },
            new ActivationLayer { Id = "r", Compression = act },
            new FlattenLayer { Id = "f" },
            new LinearLayer { Id = "fc", OutFeatures = 3 },
        ],
    };

    [Fact]
    public void Granularity_and_group_size_round_trip_as_snake_case_and_the_default_is_left_out()
    {
        var d = Model(new Compression { WeightBits = 4, WeightGranularity = WeightGranularity.Group, WeightGroupSize = 16 },
            new Compression { ActivationBits = 6 });
        var json = d.ToJson();
        Assert.Contains("\"weight_granularity\": \"group\"", json, StringComparison.Ordinal);
        Assert.Contains("\"weight_group_size\": 16", json, StringComparison.Ordinal);
        var parsed = ModelDescription.FromJson(json);
        Assert.Equal(json, parsed.ToJson());
        Assert.Equal(d.Layers[0].Compression, parsed.Layers[0].Compression);
        ModelGraph.Build(parsed);

        var perTensor = Model(new Compression { WeightBits = 8, WeightGranularity = WeightGranularity.PerTensor }).ToJson();
        Assert.Contains("\"weight_granularity\": \"per_tensor\"", perTensor, StringComparison.Ordinal);

        // A description without the new fields reads and writes as before: per channel, nothing added.
        var plain = Model(new Compression { WeightBits = 8 }).ToJson();
        Assert.DoesNotContain("granularity", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("group_size", plain, StringComparison.Ordinal);
        Assert.Equal(WeightGranularity.PerChannel, ModelDescription.FromJson(plain).Layers[0].Compression!.WeightGranularity);
        Assert.Equal(WeightGranularity.PerChannel,
            ModelDescription.FromJson(plain.Replace("\"weight_bits\": 8", "\"weight_bits\": 8, \"weight_granularity\": \"per_channel\"", StringComparison.Ordinal))
                .Layers[0].Compression!.WeightGranularity);
    }

    private static void Invalid(Compression c, string problem)
    {
        var e = Assert.Throws<ModelValidationException>(() => ModelGraph.Build(Model(c)));
        Assert.Equal("c", e.LayerId);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_annotations_fail_naming_the_layer()
    {
        Invalid(new Compression { WeightBits = 4, WeightGranularity = WeightGranularity.Group }, "weight_group_size is required");
        Invalid(new Compression { WeightBits = 4, WeightGroupSize = 8 }, "applies to weight_granularity group only");
        Invalid(new Compression { WeightBits = 4, WeightGranularity = WeightGranularity.Group, WeightGroupSize = 0 }, "weight_group_size 0 must be positive");
        Invalid(new Compression { WeightGranularity = WeightGranularity.PerTensor }, "need weight_bits");
        Invalid(new Compression { WeightBits = 33 }, "weight_bits 33 is outside 1..32");
        Invalid(new Compression { WeightBits = 0 }, "weight_bits 0");
        Invalid(new Compression { ActivationBits = 0 }, "activation_bits 0");
        Invalid(new Compression { WeightBits = 4, WeightGranularity = (WeightGranularity)9 }, "weight_granularity 9 is unknown");
        var e = Assert.Throws<ModelValidationException>(() => ModelDescription.FromJson(Model(new Compression { WeightBits = 4 }).ToJson()
            .Replace("\"weight_bits\": 4", "\"weight_bits\": 4, \"weight_granularity\": \"per_row\"", StringComparison.Ordinal)));
        Assert.Equal("c", e.LayerId);
    }

    [Fact]
    public void One_bit_weights_are_valid_descriptions_but_not_realisable()
    {
        var d = Model(new Compression { WeightBits = 1 });
        ModelGraph.Build(d);
        var baseline = TorchEngine.LiveTensors;
        var e = Assert.Throws<NotSupportedException>(() => new GraphModel(d with { Layers = [new Conv2dLayer { Id = "ok", OutChannels = 1, Kernel = 1 }, .. d.Layers] }));
        Assert.Contains("layer 'c'", e.Message, StringComparison.Ordinal);
        Assert.Contains("weight_bits 1", e.Message, StringComparison.Ordinal);
        // The layer built before the failing one was freed.
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }

    [Fact]
    public void A_quantized_model_names_its_ranges_loads_float_weights_and_counts_the_same_macs()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(8);
        using var reference = new ReferenceCnn();
        var (floatDescription, weights) = ModuleDescriber.Describe(reference, [1, 28, 28]);
        var quantized = QuantizationPlan.Annotate(floatDescription, new QuantizeConfig { WeightBits = 4 });
        using var model = new GraphModel(quantized);
        Assert.Equal(["classifier_2", "features_10", "features_2", "features_6"], model.ActivationQuantizers.Keys.Order());
        Assert.Contains(model.StateDict(), p => p.Name == "features_2_aq.range");
        Assert.Equal(reference.ParameterCount(), model.ParameterCount());

        // Float weights (no ranges) load; the quantizers wait for calibration.
        model.LoadWeights(weights);
        Assert.All(model.ActivationQuantizers.Values, q => Assert.False(q.IsCalibrated));
        // Without calibration, only the weights are quantized: close to the float model, not equal to it.
        reference.Eval();
        model.Eval();
        var x = Tensor.Randn([8, 1, 28, 28]);
        var (yf, yq) = (reference.Forward(x), model.Forward(x));
        Assert.False(yf.AllClose(yq, 1e-3, 1e-3));
        Assert.True(yf.AllClose(yq, 0.5, 0.5));

        // Quantization changes no multiply-accumulate count.
        Assert.Equal(CostTrace.Measure(reference, 1, 28, 28).TotalMacs, CostTrace.Measure(model, 1, 28, 28).TotalMacs);

        // A quantized model's state (ranges included) loads into the float description too.
        model.ActivationQuantizers["features_2"].SetRange(0, 3);
        using var floatModel = new GraphModel(floatDescription);
        floatModel.LoadWeights(model.StateDict().ToDictionary(p => p.Name, p => p.Tensor));
        floatModel.Eval();
        Assert.True(yf.AllClose(floatModel.Forward(x), 0, 0));
    }

    [Fact]
    public void Training_a_quantized_model_updates_its_latent_weights_and_ranges_and_frees_every_tensor()
    {
        using var model = new GraphModel(Model(new Compression { WeightBits = 3 }, new Compression { ActivationBits = 4 }));
        var baseline = TorchEngine.LiveTensors;
        using (TorchEngine.NewDisposeScope())
        {
            var before = ((Conv2d)model.Children[0].Module).Weight.Clone();
            using var optimizer = AutoCompress.Torch.Optim.Adam.W(model.Parameters(), 1e-2, 0);
            for (var i = 0; i < 3; i++)
            {
                using var step = TorchEngine.NewDisposeScope();
                var loss = Functional.CrossEntropy(model.Forward(Tensor.Randn([4, 1, 6, 6])), Tensor.FromArray(new long[] { 0, 1, 2, 0 }));
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
            Assert.False(before.AllClose(((Conv2d)model.Children[0].Module).Weight, 0, 0));
            Assert.True(model.ActivationQuantizers["r"].IsCalibrated);
        }
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }
}
