namespace AutoCompress.Torch.Tests;

public sealed class FunctionalTests
{
    [Fact]
    public void Conv2d_forward_matches_a_hand_computed_case()
    {
        using var scope = TorchEngine.NewDisposeScope();
        // 1x1x3x3 input 1..9, 2x2 kernel of ones, stride 1, no padding: sums of 2x2 windows.
        var x = Tensor.Arange(1, 10, 1, DType.Float32).Reshape(1, 1, 3, 3);
        var w = Tensor.Ones([1, 1, 2, 2]);
        var b = Tensor.FromArray(new float[] { 0.5f });
        Assert.Equal(new float[] { 12.5f, 16.5f, 24.5f, 28.5f }, Functional.Conv2d(x, w, b).ToArray<float>());

        // Padding 1, stride 2: windows centred on the corners and centre of the padded input.
        var y = Functional.Conv2d(x, Tensor.Ones([1, 1, 3, 3]), null, stride: (2, 2), padding: (1, 1));
        Assert.Equal(new long[] { 1, 1, 2, 2 }, y.Shape);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, y.ToArray<float>());

        // Dilation 2 on 3x3 with a 2x2 kernel reads the four corners: 1+3+7+9.
        Assert.Equal(20f, Functional.Conv2d(x, w, null, dilation: (2, 2)).Item(), 5);
    }

    [Fact]
    public void Depthwise_conv_keeps_channels_apart()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var x = Tensor.Cat([Tensor.Ones([1, 1, 2, 2]), Tensor.Full([1, 1, 2, 2], 10)], 1); // 2 channels
        var w = Tensor.Cat([Tensor.Full([1, 1, 1, 1], 2), Tensor.Full([1, 1, 1, 1], 3)], 0); // [2,1,1,1]
        var y = Functional.Conv2d(x, w, groups: 2);
        Assert.Equal(new float[] { 2, 2, 2, 2, 30, 30, 30, 30 }, y.ToArray<float>());
    }

    [Fact]
    public void Conv2d_gradients_match_finite_differences_for_input_weight_and_bias()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(7);
        var x = Tensor.Randn([2, 4, 5, 5], DType.Float64);
        var w = Tensor.Randn([6, 2, 3, 3], DType.Float64);
        var b = Tensor.Randn([6], DType.Float64);
        var probe = Tensor.Randn([2, 6, 3, 3], DType.Float64); // weights the outputs so every gradient differs
        Tensor Loss(Tensor xi, Tensor wi, Tensor bi) =>
            Functional.Conv2d(xi, wi, bi, stride: (2, 2), padding: (1, 1), groups: 2).Mul(probe).Sum();
        GradCheck.AssertGradientsMatch(x, xi => Loss(xi, w, b));
        GradCheck.AssertGradientsMatch(w, wi => Loss(x, wi, b));
        GradCheck.AssertGradientsMatch(b, bi => Loss(x, w, bi));
    }

    [Fact]
    public void Linear_forward_and_gradients()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2 }, 1, 2);
        var w = Tensor.FromArray(new float[] { 1, 0, 0, 1, 1, 1 }, 3, 2);
        var b = Tensor.FromArray(new float[] { 0, 0, 10 });
        Assert.Equal(new float[] { 1, 2, 13 }, Functional.Linear(x, w, b).ToArray<float>());

        TorchEngine.ManualSeed(3);
        var wd = Tensor.Randn([3, 4], DType.Float64);
        var bd = Tensor.Randn([3], DType.Float64);
        var xd = Tensor.Randn([5, 4], DType.Float64);
        GradCheck.AssertGradientsMatch(xd, xi => Functional.Linear(xi, wd, bd).Tanh().Sum());
        GradCheck.AssertGradientsMatch(wd, wi => Functional.Linear(xd, wi, bd).Tanh().Sum());
    }

    [Fact]
    public void Batch_norm_normalizes_in_training_updates_running_stats_and_uses_them_in_eval()
    {
        using var scope = TorchEngine.NewDisposeScope();
        // One channel, values 1..4: mean 2.5, biased var 1.25, unbiased var 5/3.
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 4, 1, 1, 1);
        var rm = Tensor.Zeros([1]);
        var rv = Tensor.Ones([1]);
        var y = Functional.BatchNorm(x, rm, rv, Tensor.Ones([1]), Tensor.Zeros([1]), training: true, momentum: 0.1, eps: 0);
        var expected = new[] { 1, 2, 3, 4 }.Select(v => (float)((v - 2.5) / Math.Sqrt(1.25))).ToArray();
        var got = y.ToArray<float>();
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], got[i], 5);
        Assert.Equal(0.25, rm.Item(), 6);                       // 0.9*0 + 0.1*2.5
        Assert.Equal(0.9 + 0.1 * 5.0 / 3.0, rv.Item(), 6);      // unbiased variance in the running estimate

        var e = Functional.BatchNorm(Tensor.FromArray(new float[] { 0.25f }, 1, 1, 1, 1), rm, rv,
            Tensor.Full([1], 2), Tensor.Full([1], 1), training: false, eps: 0);
        Assert.Equal(1.0, e.Item(), 6); // (0.25 - 0.25)/sqrt(rv)*2 + 1
    }

    [Fact]
    public void Batch_norm_gradients_match_finite_differences()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(11);
        var x = Tensor.Randn([4, 3, 2, 2], DType.Float64);
        var g = Tensor.Randn([3], DType.Float64);
        var b = Tensor.Randn([3], DType.Float64);
        var probe = Tensor.Randn([4, 3, 2, 2], DType.Float64);
        GradCheck.AssertGradientsMatch(x, xi => Functional.BatchNorm(xi, null, null, g, b, training: true).Mul(probe).Sum());
        GradCheck.AssertGradientsMatch(g, gi => Functional.BatchNorm(x, null, null, gi, b, training: true).Mul(probe).Sum());
    }

    [Fact]
    public void Pooling_dropout_softmax()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var x = Tensor.Arange(1, 17, 1, DType.Float32).Reshape(1, 1, 4, 4);
        Assert.Equal(new float[] { 6, 8, 14, 16 }, Functional.MaxPool2d(x, (2, 2)).ToArray<float>());
        Assert.Equal(new float[] { 3.5f, 5.5f, 11.5f, 13.5f }, Functional.AvgPool2d(x, (2, 2)).ToArray<float>());
        Assert.Equal(8.5f, Functional.AdaptiveAvgPool2d(x, (1, 1)).Item(), 5);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, Functional.AdaptiveAvgPool2d(x, (2, 2)).Shape);

        var ones = Tensor.Ones([10000]);
        Assert.Equal(ones.ToArray<float>(), Functional.Dropout(ones, 0.5, training: false).ToArray<float>());
        var dropped = Functional.Dropout(ones, 0.5, training: true).ToArray<float>();
        Assert.All(dropped, v => Assert.True(v == 0 || v == 2));
        Assert.InRange(dropped.Count(v => v == 0), 4500, 5500);

        var logits = Tensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        var sm = Functional.Softmax(logits, 1).ToArray<float>();
        Assert.Equal(1.0, sm.Sum(), 5);
        var denom = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(3) / denom, sm[2], 5);
        Assert.Equal(Math.Log(Math.Exp(1) / denom), Functional.LogSoftmax(logits, 1).ToArray<float>()[0], 5);
    }

    [Fact]
    public void Losses_match_their_definitions()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var logits = Tensor.FromArray(new float[] { 1, 2, 3, 1, 1, 1 }, 2, 3);
        var target = Tensor.FromArray(new long[] { 2, 0 });
        double Lse(params double[] v) => Math.Log(v.Sum(Math.Exp));
        var ce0 = Lse(1, 2, 3) - 3;
        var ce1 = Lse(1, 1, 1) - 1;
        Assert.Equal((ce0 + ce1) / 2, Functional.CrossEntropy(logits, target).Item(), 5);
        Assert.Equal(ce0 + ce1, Functional.CrossEntropy(logits, target, reduction: Reduction.Sum).Item(), 5);

        // Label smoothing eps: (1-eps)*CE + eps * mean over classes of -log p.
        var eps = 0.1;
        double Smoothed(double[] z, int t)
        {
            var lse = Lse(z);
            return (1 - eps) * (lse - z[t]) + eps * z.Select(v => lse - v).Average();
        }
        var expected = (Smoothed([1, 2, 3], 2) + Smoothed([1, 1, 1], 0)) / 2;
        Assert.Equal(expected, Functional.CrossEntropy(logits, target, labelSmoothing: eps).Item(), 5);

        // KL(p || q) with q given as log-probabilities, batchmean.
        var p = Tensor.FromArray(new float[] { 0.5f, 0.5f }, 1, 2);
        var q = Tensor.FromArray(new float[] { 0.25f, 0.75f }, 1, 2);
        var kl = 0.5 * Math.Log(0.5 / 0.25) + 0.5 * Math.Log(0.5 / 0.75);
        Assert.Equal(kl, Functional.KlDiv(q.Log(), p).Item(), 5);

        Assert.Equal((1 + 4) / 2.0, Functional.MseLoss(Tensor.FromArray(new float[] { 1, 2 }), Tensor.FromArray(new float[] { 0, 0 })).Item(), 5);
    }
}
