using AutoCompress.Contracts.Models;

namespace AutoCompress.Contracts.Tests;

public class RoundTripTests
{
    public static TheoryData<string> Descriptions => ["nb201", "mobilenetv2", "small"];

    private static ModelDescription Named(string name) => name switch
    {
        "nb201" => Samples.Nb201(),
        "mobilenetv2" => Samples.MobileNetV2(),
        _ => Samples.Small(),
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void Serialize_parse_serialize_gives_the_same_json_and_the_same_graph(string name)
    {
        var original = Named(name);
        var json = original.ToJson();
        var parsed = ModelDescription.FromJson(json);
        Assert.Equal(json, parsed.ToJson());

        var expected = ModelGraph.Build(original);
        var actual = ModelGraph.Build(parsed);
        Assert.Equal(expected.Order.Select(n => (n.Id, n.OutputShape)), actual.Order.Select(n => (n.Id, n.OutputShape)));
        Assert.Equal(expected.Order.Select(n => string.Join(",", n.InputIds)), actual.Order.Select(n => string.Join(",", n.InputIds)));
        Assert.Equal(expected.Output.Id, actual.Output.Id);
        Assert.Equal(original.Metadata, parsed.Metadata);
    }

    [Fact]
    public void Json_uses_snake_case_op_discriminators_and_keeps_annotations()
    {
        var json = Samples.Small().ToJson();
        Assert.Contains("\"op\": \"conv2d\"", json, StringComparison.Ordinal);
        Assert.Contains("\"out_channels\": 8", json, StringComparison.Ordinal);
        Assert.Contains("\"kept_channels\"", json, StringComparison.Ordinal);
        var parsed = ModelDescription.FromJson(json);
        var c1 = Assert.IsType<Conv2dLayer>(parsed.Layers[0]);
        Assert.Equal([0, 1, 3, 6], c1.Compression!.KeptChannels!);
        Assert.Equal((8, 8, 0.25), (c1.Compression.WeightBits, c1.Compression.ActivationBits, c1.Compression.Sparsity));
        Assert.Equal(1e-3, Assert.IsType<BatchNormLayer>(parsed.Layers[1]).Eps);
    }

    [Fact]
    public void Small_model_shapes_follow_kept_channels()
    {
        var g = ModelGraph.Build(Samples.Small());
        Assert.Equal(FeatureShape.Map(4, 16, 16), g["c1"].OutputShape);
        Assert.Equal(FeatureShape.Map(4, 8, 8), g["pool"].OutputShape);
        Assert.Equal(FeatureShape.Map(10, 8, 8), g["cat"].OutputShape);
        Assert.Equal(FeatureShape.Vector(40), g["flat"].OutputShape);
        Assert.Equal(FeatureShape.Vector(5), g["fc1"].OutputShape);
        Assert.Equal(FeatureShape.Vector(3), g.Output.OutputShape);
    }
}
