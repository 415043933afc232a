using AutoCompress.Torch.NN;

namespace AutoCompress.Torch.Tests;

public sealed class ModuleTests
{
    private static Sequential Small() => new(
        new Conv2d(1, 4, 3, padding: 1, bias: false), new BatchNorm2d(4), Activation.ReLU(), Pool2d.Max(2),
        new Flatten(), new Dropout(0.5), new Linear(4 * 2 * 2, 3));

    [Fact]
    public void Parameters_and_buffers_have_dotted_names_and_shapes()
    {
        using var m = Small();
        var names = m.NamedParameters().Select(p => p.Name).ToList();
        Assert.Equal(new[] { "0.weight", "1.weight", "1.bias", "6.weight", "6.bias" }, names);
        Assert.Equal(new[] { "1.running_mean", "1.running_var", "1.num_batches_tracked" }, m.NamedBuffers().Select(b => b.Name));
        Assert.Equal(new long[] { 4, 1, 3, 3 }, m.NamedParameters().First().Tensor.Shape);
        Assert.Equal(36 + 4 + 4 + 16 * 3 + 3, m.ParameterCount());
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void Eval_mode_turns_off_dropout_and_uses_running_statistics()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var m = Small();
        TorchEngine.ManualSeed(5);
        var x = Tensor.Randn([8, 1, 4, 4]);
        m.Eval();
        var a = m.Forward(x).ToArray<float>();
        var b = m.Forward(x).ToArray<float>();
        Assert.Equal(a, b);
        var bn = (BatchNorm2d)((Sequential)m).Layers[1];
        Assert.Equal(0L, bn.NumBatchesTracked.ItemLong());
        m.Train();
        m.Forward(x);
        Assert.Equal(1L, bn.NumBatchesTracked.ItemLong());
        Assert.NotEqual(0.0, bn.RunningMean.Abs().Sum().Item());
    }

    [Fact]
    public void Frozen_parameters_are_not_handed_to_optimizers_and_get_no_gradient()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var m = Small();
        var conv = (Conv2d)m.Layers[0];
        conv.Freeze();
        Assert.Equal(4, m.Parameters().Count());
        m.Forward(Tensor.Randn([2, 1, 4, 4])).Sum().Backward();
        Assert.Null(conv.Weight.Grad);
        Assert.NotNull(((Linear)m.Layers[6]).Weight.Grad);
        conv.Freeze(false);
        Assert.Equal(5, m.Parameters().Count());
    }

    [Fact]
    public void Load_state_dict_copies_values_and_names_every_mismatch()
    {
        using var scope = TorchEngine.NewDisposeScope();
        using var a = Small();
        using var b = Small();
        b.LoadStateDict(a.StateDict().ToDictionary(p => p.Name, p => p.Tensor));
        a.Eval();
        b.Eval();
        var x = Tensor.Randn([3, 1, 4, 4]);
        Assert.Equal(a.Forward(x).ToArray<float>(), b.Forward(x).ToArray<float>());

        var partial = a.StateDict().Where(p => p.Name != "6.bias").ToDictionary(p => p.Name, p => p.Tensor);
        partial["extra"] = Tensor.Zeros([1]);
        var e = Assert.Throws<ArgumentException>(() => b.LoadStateDict(partial));
        Assert.Contains("6.bias", e.Message);
        Assert.Contains("extra", e.Message);

        var wrongShape = a.StateDict().ToDictionary(p => p.Name, p => p.Tensor);
        wrongShape["6.weight"] = Tensor.Zeros([3, 5]);
        Assert.Contains("6.weight", Assert.Throws<ArgumentException>(() => b.LoadStateDict(wrongShape)).Message);
    }

    [Fact]
    public void Cost_trace_counts_conv_and_linear_macs()
    {
        using var m = Small();
        var trace = CostTrace.Measure(m, 1, 4, 4);
        // conv: 4x4 output x 4 channels x (1 x 3 x 3); linear: 16 x 3.
        Assert.Equal(4 * 4 * 4 * 9 + 16 * 3, trace.TotalMacs);
        using var dw = new Conv2d(8, 8, 3, padding: 1, groups: 8);
        Assert.Equal(8 * 8 * 8 * 9, CostTrace.Measure(dw, 8, 8, 8).TotalMacs);
    }

    [Fact]
    public void Invalid_layer_arguments_are_rejected_with_the_values()
    {
        Assert.Contains("groups=3", Assert.Throws<ArgumentException>(() => new Conv2d(4, 8, 3, groups: 3)).Message);
        Assert.Throws<ArgumentException>(() => new Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
    }
}
