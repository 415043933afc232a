namespace AutoCompress.Torch.Tests;

public sealed class AutogradTests
{
    [Fact]
    public void Backward_gives_the_analytic_gradient()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3 }).RequiresGradInPlace();
        var y = (x * x * 3).Sum(); // dy/dx = 6x
        y.Backward();
        Assert.Equal(new float[] { 6, 12, 18 }, x.Grad!.ToArray<float>());

        // Gradients accumulate until cleared.
        (x * 2).Sum().Backward();
        Assert.Equal(new float[] { 8, 14, 20 }, x.Grad!.ToArray<float>());
        x.ZeroGrad(setToNone: false);
        Assert.Equal(new float[] { 0, 0, 0 }, x.Grad!.ToArray<float>());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void No_grad_scope_and_detach_stop_recording()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var x = Tensor.Ones([2]).RequiresGradInPlace();
        Assert.True(TorchEngine.IsGradEnabled);
        using (TorchEngine.NoGrad())
        {
            Assert.False(TorchEngine.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
        }
        Assert.True(TorchEngine.IsGradEnabled);
        Assert.True((x * 2).RequiresGrad);
        var d = (x * 2).Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        Assert.False((x * 2).IsLeaf);
    }

    [Fact]
    public void Backward_on_a_tensor_without_grad_is_a_managed_error()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => Tensor.Ones([2]).Sum().Backward());
        Assert.Contains("does not require grad", e.Message);
    }

    [Fact]
    public void Matmul_and_elementwise_gradients_match_finite_differences()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(1);
        var w = Tensor.Randn([3, 4], DType.Float64);
        GradCheck.AssertGradientsMatch(Tensor.Randn([2, 3], DType.Float64),
            x => x.Matmul(w).Sigmoid().Mul(x.Sum(1).Unsqueeze(1).Tanh()).Sum());
    }
}
