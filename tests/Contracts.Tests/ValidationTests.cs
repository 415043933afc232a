using AutoCompress.Contracts.Models;

namespace AutoCompress.Contracts.Tests;

/// <summary>Every malformed description fails with a <see cref="ModelValidationException"/> naming the layer at fault.</summary>
public class ValidationTests
{
    private static ModelDescription Model(int[] input, params Layer[] layers) => new() { InputShape = input, Layers = layers };

    private static ModelValidationException Fails(ModelDescription d, string? layerId, string problem)
    {
        var e = Assert.Throws<ModelValidationException>(() => ModelGraph.Build(d));
        Assert.Equal(layerId, e.LayerId);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        if (layerId is not null) Assert.StartsWith($"layer '{layerId}': ", e.Message, StringComparison.Ordinal);
        return e;
    }

    private static void JsonFails(string json, string? layerId, string problem)
    {
        var e = Assert.Throws<ModelValidationException>(() => ModelDescription.FromJson(json));
        Assert.Equal(layerId, e.LayerId);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    private static Conv2dLayer Conv(string id, Compression? c) => new() { Id = id, OutChannels = 4, Kernel = 3, Compression = c };

    [Fact]
    public void Cycle_names_a_layer_on_it()
    {
        var e = Assert.Throws<ModelValidationException>(() => ModelGraph.Build(Model([4],
            new IdentityLayer { Id = "a", Inputs = ["b"] },
            new IdentityLayer { Id = "b", Inputs = ["a"] },
            new LinearLayer { Id = "fc", OutFeatures = 2 })));
        Assert.Contains(e.LayerId, new[] { "a", "b" });
        Assert.Contains("cycle", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Cycle_message_spells_the_cycle()
    {
        Fails(Model([4], new IdentityLayer { Id = "a", Inputs = ["b"] }, new IdentityLayer { Id = "b", Inputs = ["a"] }),
            "a", "is on a cycle: a -> b -> a");
    }

    [Fact]
    public void Self_loop_is_a_cycle() =>
        Fails(Model([4], new IdentityLayer { Id = "a", Inputs = ["a"] }), "a", "a -> a");

    [Fact]
    public void Unknown_op_in_json() =>
        JsonFails("""{"input_shape":[1,4,4],"layers":[{"op":"identity","id":"ok"},{"op":"conv3d","id":"c"}]}""", "c", "unknown op conv3d");

    [Fact]
    public void Missing_op_in_json() =>
        JsonFails("""{"input_shape":[1,4,4],"layers":[{"id":"c","kernel":3}]}""", "c", "has no \"op\"");

    [Fact]
    public void Missing_required_field_in_json() =>
        JsonFails("""{"input_shape":[1,4,4],"layers":[{"op":"identity","id":"a"},{"op":"conv2d","id":"c","out_channels":2}]}""", "c", "'kernel'");

    [Fact]
    public void Unknown_field_in_json() =>
        JsonFails("""{"input_shape":[1,4,4],"layers":[{"op":"conv2d","id":"c","out_channels":2,"kernel":3,"kernal":3}]}""", "c", "'kernal'");

    [Fact]
    public void Wrongly_typed_field_in_json() =>
        JsonFails("""{"input_shape":[1,4,4],"layers":[{"op":"conv2d","id":"c","out_channels":"two","kernel":3}]}""", "c", "out_channels");

    [Fact]
    public void Invalid_json_is_model_level() =>
        JsonFails("""{"input_shape":[1,4,4],"layers":[""", null, "not valid JSON");

    [Fact]
    public void Op_after_other_properties_in_json_parses()
    {
        var d = ModelDescription.FromJson("""{"input_shape":[4],"layers":[{"id":"fc","op":"linear","out_features":2}]}""");
        Assert.IsType<LinearLayer>(Assert.Single(d.Layers));
    }

    [Fact]
    public void Add_of_different_shapes() =>
        Fails(Model([3, 8, 8],
            new Conv2dLayer { Id = "a", OutChannels = 4, Kernel = 3 },
            new Conv2dLayer { Id = "b", OutChannels = 5, Kernel = 3, Inputs = [ModelDescription.InputId] },
            new AddLayer { Id = "sum", Inputs = ["a", "b"] }), "sum", "add needs inputs of one shape, got [4x8x8] and [5x8x8]");

    [Fact]
    public void Linear_on_a_feature_map() =>
        Fails(Model([3, 8, 8], new Conv2dLayer { Id = "c", OutChannels = 4, Kernel = 3 }, new LinearLayer { Id = "fc", OutFeatures = 10 }),
            "fc", "add a flatten layer");

    [Fact]
    public void Concat_of_maps_with_different_sizes() =>
        Fails(Model([3, 8, 8],
            new Conv2dLayer { Id = "a", OutChannels = 4, Kernel = 3, Stride = 2 },
            new Conv2dLayer { Id = "b", OutChannels = 4, Kernel = 3, Inputs = [ModelDescription.InputId] },
            new ConcatLayer { Id = "cat", Inputs = ["a", "b"] }), "cat", "one height and width");

    [Fact]
    public void Zero_out_channels() =>
        Fails(Model([3, 8, 8], new Conv2dLayer { Id = "c", OutChannels = 0, Kernel = 3 }), "c", "out_channels 0");

    [Fact]
    public void Negative_kernel() =>
        Fails(Model([3, 8, 8], new Conv2dLayer { Id = "c", OutChannels = 4, Kernel = -1, Padding = 0 }), "c", "kernel -1");

    [Fact]
    public void Zero_out_features() =>
        Fails(Model([8], new LinearLayer { Id = "fc", OutFeatures = 0 }), "fc", "out_features 0");

    [Fact]
    public void Zero_in_input_shape_is_model_level() =>
        Fails(Model([3, 0, 8], new IdentityLayer { Id = "a" }), null, "input_shape [3, 0, 8]");

    [Fact]
    public void Dangling_edge() =>
        Fails(Model([4], new IdentityLayer { Id = "a" }, new AddLayer { Id = "sum", Inputs = ["a", "ghost"] }), "sum", "'ghost'");

    [Fact]
    public void Duplicate_id() =>
        Fails(Model([4], new IdentityLayer { Id = "a" }, new IdentityLayer { Id = "a" }), "a", "used by another layer");

    [Fact]
    public void Reserved_input_id() =>
        Fails(Model([4], new IdentityLayer { Id = ModelDescription.InputId }), "input", "reserved");

    [Fact]
    public void Invalid_id_characters() =>
        Fails(Model([4], new IdentityLayer { Id = "a.b" }), "a.b", "letters, digits");

    [Fact]
    public void Groups_not_dividing_channels() =>
        Fails(Model([6, 8, 8], new Conv2dLayer { Id = "g", OutChannels = 8, Kernel = 3, Groups = 4 }), "g", "groups 4 must divide the 6 input channels");

    [Fact]
    public void Kernel_larger_than_padded_input() =>
        Fails(Model([1, 4, 4], new Conv2dLayer { Id = "c", OutChannels = 2, Kernel = 7, Padding = 1 }), "c", "kernel 7");

    [Fact]
    public void Pool_kernel_larger_than_input() =>
        Fails(Model([1, 2, 2], new PoolLayer { Id = "p", Kernel = 3, Stride = 1 }), "p", "pool kernel 3");

    [Fact]
    public void Kernel_larger_than_input_with_stride()
    {
        Fails(Model([1, 4, 4], new Conv2dLayer { Id = "c", OutChannels = 2, Kernel = 5, Stride = 2, Padding = 0 }), "c", "does not fit");
        Fails(Model([1, 2, 2], new PoolLayer { Id = "p", Kernel = 3, Stride = 2 }), "p", "does not fit");
    }

    [Fact]
    public void Kept_channel_out_of_range() =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { KeptChannels = [0, 4] })), "c", "kept channel 4 is outside 0..3");

    [Fact]
    public void Kept_channels_not_ascending() =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { KeptChannels = [2, 1] })), "c", "strictly ascending");

    [Fact]
    public void Kept_channels_duplicated() =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { KeptChannels = [1, 1] })), "c", "strictly ascending");

    [Fact]
    public void Kept_channels_empty() =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { KeptChannels = [] })), "c", "kept_channels is empty");

    [Fact]
    public void Kept_channels_on_a_layer_without_channels() =>
        Fails(Model([3, 8, 8], new BatchNormLayer { Id = "bn", Compression = new Compression { KeptChannels = [0] } }), "bn", "conv2d and linear layers only");

    [Fact]
    public void Weight_bits_zero() =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { WeightBits = 0 })), "c", "weight_bits 0");

    [Fact]
    public void Activation_bits_too_wide() =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { ActivationBits = 33 })), "c", "activation_bits 33");

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Sparsity_outside_unit_interval(double sparsity) =>
        Fails(Model([3, 8, 8], Conv("c", new Compression { Sparsity = sparsity })), "c", "sparsity");

    [Fact]
    public void Output_naming_a_missing_layer() =>
        Fails(Model([4], new IdentityLayer { Id = "a" }) with { Output = "ghost" }, null, "output 'ghost'");

    [Fact]
    public void Empty_model_is_model_level() =>
        Fails(Model([4]), null, "no layers");
}
