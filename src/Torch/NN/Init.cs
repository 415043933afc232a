namespace AutoCompress.Torch.NN;

/// <summary>Weight initialization, matching PyTorch's defaults so results are comparable.</summary>
public static class Init
{
    /// <summary>
    /// PyTorch's default for Conv2d and Linear: kaiming_uniform(a=√5) on the weight, which is
    /// U(-1/√fan_in, 1/√fan_in), and the same bound for the bias.
    /// </summary>
    public static void DefaultLayer(Tensor weight, Tensor? bias, long fanIn)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var noGrad = TorchEngine.NoGrad();
        weight.UniformInPlace(-bound, bound);
        bias?.UniformInPlace(-bound, bound);
    }

    /// <summary>He (Kaiming) normal init for ReLU networks: N(0, 2/fan).</summary>
    public static void KaimingNormal(Tensor weight, long fan)
    {
        using var noGrad = TorchEngine.NoGrad();
        weight.NormalInPlace(0, Math.Sqrt(2.0 / fan));
    }
}
