namespace AutoCompress.Torch.Tests;

/// <summary>Compares autograd gradients with central finite differences, in float64.</summary>
internal static class GradCheck
{
    /// <summary>
    /// For every element i of <paramref name="input"/>, d f / d input[i] by autograd must match
    /// (f(x + h e_i) - f(x - h e_i)) / 2h, where f reduces to a scalar.
    /// </summary>
    public static void AssertGradientsMatch(Tensor input, Func<Tensor, Tensor> f, double h = 1e-6, double tol = 1e-5)
    {
        using var scope = TorchEngine.NewDisposeScope();
        Assert.Equal(DType.Float64, input.DType);
        var x = input.Detach().Clone().RequiresGradInPlace();
        f(x).Backward();
        var analytic = x.Grad!.ToArray<double>();

        var values = input.ToArray<double>();
        var shape = input.Shape;
        for (var i = 0; i < values.Length; i++)
        {
            var orig = values[i];
            values[i] = orig + h;
            var plus = f(Tensor.FromArray(values, shape)).Item();
            values[i] = orig - h;
            var minus = f(Tensor.FromArray(values, shape)).Item();
            values[i] = orig;
            var numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= tol * Math.Max(1, Math.Abs(numeric)),
                $"element {i}: autograd {analytic[i]}, finite difference {numeric}");
        }
    }
}
