using AutoCompress.Contracts.Models;

namespace AutoCompress.Methods.Pruning.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void Residual_adds_tie_the_stem_and_the_projections_into_one_group()
    {
        var deps = ChannelDependencies.Analyze(TestModels.Residual());
        var stem = deps.GroupOf("stem_conv")!;
        Assert.Equal(new[] { "stem_conv", "b0_project", "b1_project" }, stem.Producers);
        Assert.Same(stem, deps.GroupOf("b0_project"));
        Assert.Same(stem, deps.GroupOf("b1_project"));
        Assert.True(stem.Prunable);
        // Cut on dimension 0 with it: the producers and their batch norms; cut on dimension 1: their consumers.
        Assert.Equal(new[] { "stem_conv", "stem_bn", "b0_project", "b0_project_bn", "b1_project", "b1_project_bn" },
            stem.Slices.Select(s => s.LayerId));
        Assert.Equal(new[] { "b0_expand", "b1_expand", "b2_expand" }, stem.Consumers);
        // The strided block has no add: its projection is a group of its own.
        Assert.NotSame(stem, deps.GroupOf("b2_project"));
    }

    [Fact]
    public void A_depthwise_conv_follows_its_input_group_and_is_not_a_producer()
    {
        var deps = ChannelDependencies.Analyze(TestModels.Residual());
        var expand = deps.GroupOf("b0_expand")!;
        Assert.Equal(ChannelRole.Depthwise, deps.RoleOf("b0_dw"));
        Assert.Null(deps.GroupOf("b0_dw"));
        Assert.Contains(expand.Slices, s => s.LayerId == "b0_dw" && s.Role == ChannelRole.Depthwise);
        Assert.Contains(expand.Slices, s => s.LayerId == "b0_dw_bn");
        Assert.Equal(new[] { "b0_project" }, expand.Consumers);
        Assert.Contains("depthwise", deps.WhyNotPrunable("b0_dw"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_classifier_and_the_input_are_frozen_and_everything_else_is_prunable()
    {
        var deps = ChannelDependencies.Analyze(TestModels.Residual());
        Assert.False(deps.GroupOf("classifier")!.Prunable);
        Assert.Equal(new[] { "classifier" }, deps.OutputLayers);
        Assert.Contains("never pruned", deps.WhyNotPrunable("classifier"), StringComparison.Ordinal);
        Assert.Equal(new[] { "stem_conv", "b0_expand", "b0_project", "b1_expand", "b1_project", "b2_expand", "b2_project", "head_conv" },
            deps.PrunableLayers);
        Assert.Single(deps.Groups, g => g.Producers.Count == 0 && !g.Prunable); // the model input
    }

    [Fact]
    public void Concat_places_its_inputs_groups_at_offsets_and_flatten_spreads_channels_over_features()
    {
        var deps = ChannelDependencies.Analyze(TestModels.Concat());
        var (a, b, c) = (deps.GroupOf("a")!, deps.GroupOf("b")!, deps.GroupOf("c")!);
        Assert.Equal(new[] { new ChannelSegment(a.Id, 8, 1), new ChannelSegment(b.Id, 6, 1) }, deps.OutputLayout("cat"));
        Assert.Contains(b.Slices, s => s.LayerId == "dw" && s.Offset == 8);
        Assert.Contains(a.Slices, s => s.LayerId == "dw_bn" && s.Offset == 0);
        Assert.Equal(deps.OutputLayout("cat"), deps.InputLayout("c"));
        // c: 10 channels of 8x8, 4x4 after pooling: each channel is 16 consecutive features of fc.
        Assert.Equal(new[] { new ChannelSegment(c.Id, 10, 16) }, deps.InputLayout("fc"));
        Assert.True(deps.GroupOf("fc")!.Prunable);
        Assert.False(deps.GroupOf("out")!.Prunable);
    }

    [Fact]
    public void A_grouped_convolution_freezes_its_channels_and_names_itself()
    {
        var d = new ModelDescription
        {
            InputShape = [1, 8, 8],
            Layers =
            [
                new Conv2dLayer { Id = "a", OutChannels = 8, Kernel = 3 },
                new Conv2dLayer { Id = "g", OutChannels = 8, Kernel = 3, Groups = 2 },
                new Conv2dLayer { Id = "b", OutChannels = 4, Kernel = 3 },
                new FlattenLayer { Id = "f" },
                new LinearLayer { Id = "fc", OutFeatures = 3 },
            ],
        };
        var deps = ChannelDependencies.Analyze(d);
        Assert.Equal(new[] { "b" }, deps.PrunableLayers);
        Assert.Contains("grouped convolution 'g'", deps.WhyNotPrunable("a"), StringComparison.Ordinal);
        Assert.Contains("grouped convolution 'g'", deps.WhyNotPrunable("g"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_add_of_differently_grouped_inputs_freezes_them_instead_of_guessing()
    {
        var d = new ModelDescription
        {
            InputShape = [1, 8, 8],
            Layers =
            [
                new Conv2dLayer { Id = "a", OutChannels = 4, Kernel = 3, Inputs = ["input"] },
                new Conv2dLayer { Id = "b", OutChannels = 4, Kernel = 3, Inputs = ["input"] },
                new ConcatLayer { Id = "cat", Inputs = ["a", "b"] },
                new Conv2dLayer { Id = "c", OutChannels = 8, Kernel = 3, Inputs = ["input"] },
                new AddLayer { Id = "sum", Inputs = ["cat", "c"] },
                new Conv2dLayer { Id = "d", OutChannels = 4, Kernel = 3 },
                new FlattenLayer { Id = "f" },
                new LinearLayer { Id = "fc", OutFeatures = 3 },
            ],
        };
        var deps = ChannelDependencies.Analyze(d);
        Assert.Equal(new[] { "d" }, deps.PrunableLayers);
        Assert.Contains("add layer 'sum'", deps.WhyNotPrunable("c"), StringComparison.Ordinal);
    }
}
