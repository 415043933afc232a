using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;
using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Training.Tests;

public sealed class GraphModelTests
{
    [Fact]
    public void A_realised_nb201_network_runs_and_names_weights_by_layer_id()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
        using var model = new GraphModel(Nb201Space.Network(arch));
        Assert.Equal(802426, model.ParameterCount()); // NAS-Bench-201's own count for this cell (index 1)
        Assert.Contains(model.NamedParameters(), p => p.Name == "s0_c0_e10_conv.weight");
        var y = model.Forward(Tensor.Randn([2, 3, 32, 32]));
        Assert.Equal(new long[] { 2, 10 }, y.Shape);
    }

    [Fact]
    public void Description_to_model_to_description_is_the_identity()
    {
        var rng = new Random(3);
        var descriptions = new List<ModelDescription>
        {
            Nb201Space.Network(Nb201Space.Format(Nb201Space.FromCode(1234))),
            MobileNetV2Space.Network(MobileNetV2Space.Random(rng), width: 0.75),
        };
        foreach (var d in descriptions)
        {
            var explicitEdges = ModelGraph.Build(d);
            using var model = new GraphModel(d);
            var back = model.Describe();
            var again = ModelGraph.Build(back);
            Assert.Equal(explicitEdges.Order.Select(n => (n.Id, n.OutputShape)), again.Order.Select(n => (n.Id, n.OutputShape)));
            using var rebuilt = new GraphModel(back);
            Assert.Equal(back.ToJson(), rebuilt.Describe().ToJson());
        }
    }

    [Fact]
    public void Kept_channels_are_realised_as_real_widths_downstream()
    {
        var d = new ModelDescription
        {
            InputShape = [3, 8, 8],
            Layers =
            [
                new Conv2dLayer { Id = "a", OutChannels = 8, Kernel = 3, Compression = new Compression { KeptChannels = [0, 2, 5], WeightBits = 8 } },
                new ActivationLayer { Id = "r" },
                new Conv2dLayer { Id = "b", OutChannels = 4, Kernel = 3 },
            ],
        };
        using var model = new GraphModel(d);
        var w = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor);
        Assert.Equal(new long[] { 3, 3, 3, 3 }, w["a.weight"].Shape);
        Assert.Equal(new long[] { 4, 3, 3, 3 }, w["b.weight"].Shape);
        var described = (Conv2dLayer)model.Describe().Layers[0];
        Assert.Equal(3, described.OutChannels);
        Assert.Null(described.Compression!.KeptChannels);
        Assert.Equal(8, described.Compression.WeightBits);
    }

    [Fact]
    public void The_reference_cnn_extracts_to_a_description_whose_realisation_computes_the_same_function()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(4);
        using var reference = new ReferenceCnn();
        var (description, weights) = ModuleDescriber.Describe(reference, [1, 28, 28], "reference");
        using var graph = new GraphModel(ModelDescription.FromJson(description.ToJson()));
        graph.LoadStateDict(weights);
        reference.Eval();
        graph.Eval();
        var x = Tensor.Randn([5, 1, 28, 28]);
        Assert.True(reference.Forward(x).AllClose(graph.Forward(x), 0, 0));
    }

    [Fact]
    public void Gradients_flow_through_skip_zero_add_and_concat_and_no_handle_leaks()
    {
        var d = new ModelDescription
        {
            InputShape = [2, 4, 4],
            Layers =
            [
                new Conv2dLayer { Id = "c", OutChannels = 2, Kernel = 3 },
                new IdentityLayer { Id = "skip", Inputs = ["c"] },
                new ZeroLayer { Id = "z", Inputs = ["c"] },
                new ActivationLayer { Id = "act", Inputs = ["skip"] },
                new AddLayer { Id = "sum", Inputs = ["skip", "z", "act"] },
                new ConcatLayer { Id = "cat", Inputs = ["sum", "c"] },
                new FlattenLayer { Id = "f" },
                new LinearLayer { Id = "fc", OutFeatures = 3 },
            ],
        };
        using var model = new GraphModel(d);
        var baseline = TorchEngine.LiveTensors;
        using (TorchEngine.NewDisposeScope())
        {
            model.Forward(Tensor.Randn([2, 2, 4, 4])).Sum().Backward();
            Assert.NotNull(((Torch.NN.Conv2d)model.Children[0].Module).Weight.Grad);
        }
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_layer_annotated_with_sparsity_keeps_its_zero_pattern_through_training(bool annotated)
    {
        var live = TorchEngine.LiveTensors;
        var sparse = annotated ? new Compression { Sparsity = 0.5 } : null;
        var description = new ModelDescription
        {
            Name = "sparse", InputShape = [1, 6, 6],
            Layers =
            [
                new Conv2dLayer { Id = "conv", OutChannels = 4, Kernel = 3, Compression = sparse },
                new FlattenLayer { Id = "flat" },
                new LinearLayer { Id = "fc", OutFeatures = 3, Compression = sparse },
            ],
        };
        TorchEngine.ManualSeed(5);
        using var model = new GraphModel(description);
        var state = new Dictionary<string, Tensor>();
        using (var scope = TorchEngine.NewDisposeScope())
        {
            // Zero every other weight, as magnitude pruning at 50% would.
            foreach (var (name, t) in model.StateDict())
            {
                var w = t.Clone();
                if (name.EndsWith(".weight", StringComparison.Ordinal))
                {
                    var flat = w.View(-1);
                    flat.IndexPutInPlace(Tensor.Arange(0, flat.NumEl, 2), Tensor.Zeros([(flat.NumEl + 1) / 2]));
                }
                state[name] = w.DetachFromScope();
            }
        }
        model.LoadWeights(state);
        foreach (var t in state.Values) t.Dispose();
        using (var optimizer = AutoCompress.Torch.Optim.Adam.W(model.Parameters(), 1e-2, 1e-2))
        {
            for (var step = 0; step < 5; step++)
            {
                using var scope = TorchEngine.NewDisposeScope();
                var y = model.Forward(Tensor.Randn([8, 1, 6, 6]));
                optimizer.ZeroGrad();
                y.Square().Mean().Backward();
                optimizer.Step();
            }
        }
        foreach (var (name, t) in model.NamedParameters().Where(p => p.Name.EndsWith(".weight", StringComparison.Ordinal)))
        {
            using var scope = TorchEngine.NewDisposeScope();
            var zeros = t.Eq(0).Sum().ItemLong();
            if (annotated) Assert.Equal((t.NumEl + 1) / 2, zeros);   // exactly the pruned half, still zero
            else Assert.True(zeros < t.NumEl / 4, $"{name}: without the annotation pruned weights regrow ({zeros} zeros left)");
        }
        model.Dispose();
        Assert.Equal(live, TorchEngine.LiveTensors);
    }
}
