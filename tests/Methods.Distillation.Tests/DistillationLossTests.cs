using AutoCompress.Methods.Distillation;
using AutoCompress.Torch;

namespace AutoCompress.Methods.Distillation.Tests;

public sealed class DistillationLossTests
{
    private static Tensor Logits(float[] values) => Tensor.FromArray(values, 2, 3);

    [Fact]
    public void With_alpha_zero_it_is_the_hard_label_cross_entropy()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var s = Logits([1f, 2f, 0.5f, -1f, 0f, 3f]);
        var t = Logits([3f, 0f, 0f, 0f, 0f, 1f]);
        var y = Tensor.FromArray(new long[] { 1, 2 }, 2);
        var loss = DistillationLoss.Compute(s, t, y, temperature: 4, alpha: 0);
        Assert.Equal(Functional.CrossEntropy(s, y).Item(), loss.Item(), 6);
    }

    [Fact]
    public void The_soft_term_vanishes_when_the_student_matches_the_teacher_and_grows_as_it_departs()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var t = Logits([3f, 0f, 1f, 0f, 2f, 1f]);
        var y = Tensor.FromArray(new long[] { 0, 1 }, 2);
        Assert.Equal(0, DistillationLoss.Compute(t.Clone(), t, y, 4, 1).Item(), 6);
        var near = DistillationLoss.Compute(Logits([2.5f, 0f, 1f, 0f, 2f, 1f]), t, y, 4, 1).Item();
        var far = DistillationLoss.Compute(Logits([0f, 3f, 1f, 2f, 0f, 1f]), t, y, 4, 1).Item();
        Assert.InRange(near, 1e-6, far);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    [InlineData(10.0)]
    public void Its_gradient_is_T_times_the_difference_of_softened_probabilities(double temperature)
    {
        // d/ds [T² · KL(p_t ‖ p_s)] averaged over the batch = T · (softmax(s/T) − softmax(t/T)) / N (Hinton et al., eq. 2).
        using var scope = TorchEngine.NewDisposeScope();
        var s = Logits([1f, 2f, 0.5f, -1f, 0f, 3f]).RequiresGradInPlace();
        var t = Logits([3f, 0f, 0f, 0f, 0f, 1f]);
        var y = Tensor.FromArray(new long[] { 1, 2 }, 2);
        DistillationLoss.Compute(s, t, y, temperature, alpha: 1).Backward();
        var expected = Functional.Softmax(s.Detach().Div(temperature), 1).Sub(Functional.Softmax(t.Div(temperature), 1)).Mul(temperature / 2);
        Assert.True(s.Grad!.AllClose(expected, 1e-4, 1e-6), $"{s.Grad} vs {expected}");
    }

    [Fact]
    public void The_teacher_gets_no_gradient()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var s = Logits([1f, 2f, 0.5f, -1f, 0f, 3f]).RequiresGradInPlace();
        var t = Logits([3f, 0f, 0f, 0f, 0f, 1f]).RequiresGradInPlace();
        DistillationLoss.Compute(s, t, Tensor.FromArray(new long[] { 1, 2 }, 2), 4, 0.5).Backward();
        Assert.NotNull(s.Grad);
        Assert.Null(t.Grad);
    }
}
