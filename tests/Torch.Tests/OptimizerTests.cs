using AutoCompress.Torch.Optim;

namespace AutoCompress.Torch.Tests;

public sealed class OptimizerTests
{
    // Loss = sum(w * c): the gradient is c at every step, so updates can be computed by hand.
    private static Tensor StepWith(Optimizer opt, Tensor w, float[] c)
    {
        using var scope = TorchEngine.NewDisposeScope();
        opt.ZeroGrad();
        (w * Tensor.FromArray(c)).Sum().Backward();
        opt.Step();
        return w;
    }

    [Fact]
    public void Sgd_with_momentum_nesterov_and_weight_decay_follows_the_update_rule()
    {
        using var w = Tensor.FromArray(new float[] { 1, -2 }).DetachFromScope().RequiresGradInPlace();
        using var opt = new Sgd([w], lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true);
        float[] c = [0.5f, -1f];
        double[] wv = [1, -2], buf = [0, 0];
        for (var step = 0; step < 3; step++)
        {
            StepWith(opt, w, c);
            for (var i = 0; i < 2; i++)
            {
                var g = c[i] + 0.01 * wv[i];
                buf[i] = step == 0 ? g : 0.9 * buf[i] + g;
                wv[i] -= 0.1 * (g + 0.9 * buf[i]);
            }
        }
        var got = w.ToArray<float>();
        Assert.Equal(wv[0], got[0], 5);
        Assert.Equal(wv[1], got[1], 5);
    }

    [Fact]
    public void Adam_and_AdamW_follow_their_update_rules()
    {
        // One step of Adam with bias correction moves each weight by lr * g / (|g| + eps) ≈ lr * sign(g).
        using var w = Tensor.FromArray(new float[] { 1, -2 }).DetachFromScope().RequiresGradInPlace();
        using (var adam = new Adam([w], lr: 0.01))
            StepWith(adam, w, [3f, -0.5f]);
        Assert.Equal(new[] { 0.99, -1.99 }, w.ToArray<float>().Select(v => Math.Round(v, 5)));

        // AdamW decays the weight directly: w * (1 - lr * wd) before the Adam step.
        using var v = Tensor.FromArray(new float[] { 1 }).DetachFromScope().RequiresGradInPlace();
        using (var adamw = Adam.W([v], lr: 0.1, weightDecay: 0.5))
            StepWith(adamw, v, [1f]);
        Assert.Equal(1 * (1 - 0.1 * 0.5) - 0.1, v.ToArray<float>()[0], 5);
    }

    [Fact]
    public void Learning_rate_can_be_read_and_set()
    {
        using var w = Tensor.Zeros([1]).DetachFromScope().RequiresGradInPlace();
        using var opt = new Sgd([w], lr: 0.5);
        Assert.Equal(0.5, opt.LearningRate);
        opt.LearningRate = 0.125;
        Assert.Equal(0.125, opt.LearningRate);
    }

    [Fact]
    public void Saved_optimizer_state_continues_exactly_like_the_uninterrupted_run()
    {
        float[] c = [0.3f, -0.7f];
        using var a = Tensor.FromArray(new float[] { 1, 2 }).DetachFromScope().RequiresGradInPlace();
        using var optA = Adam.W([a], lr: 0.05);
        for (var i = 0; i < 5; i++) StepWith(optA, a, c);
        var state = optA.SaveState();
        var snapshot = a.ToArray<float>();
        for (var i = 0; i < 5; i++) StepWith(optA, a, c);

        using var b = Tensor.FromArray(snapshot).DetachFromScope().RequiresGradInPlace();
        using var optB = Adam.W([b], lr: 0.05);
        optB.LoadState(state);
        for (var i = 0; i < 5; i++) StepWith(optB, b, c);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
    }

    [Fact]
    public void An_optimizer_needs_trainable_parameters()
    {
        Assert.Throws<ArgumentException>(() => new Sgd([], lr: 0.1));
        using var frozen = Tensor.Zeros([1]).DetachFromScope();
        Assert.Contains("does not require grad", Assert.Throws<TorchException>(() => new Sgd([frozen], lr: 0.1)).Message);
    }

    [Fact]
    public void Schedules_give_warm_up_cosine_and_step_values()
    {
        var cos = new CosineLr(1.0, totalSteps: 110, warmupSteps: 10);
        Assert.Equal(0.1, cos.At(0), 9);
        Assert.Equal(1.0, cos.At(9), 9);
        Assert.Equal(1.0, cos.At(10), 9);
        Assert.Equal(0.5, cos.At(60), 9);
        Assert.Equal(0.0, cos.At(110), 9);
        var step = new StepLr(1.0, stepSize: 10, gamma: 0.5);
        Assert.Equal(1.0, step.At(9));
        Assert.Equal(0.5, step.At(10));
        Assert.Equal(0.25, step.At(25));
        Assert.Throws<ArgumentException>(() => new CosineLr(1, totalSteps: 10, warmupSteps: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(1, 0));
    }
}
