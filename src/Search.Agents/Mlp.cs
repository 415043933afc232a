using AutoCompress.Contracts.Search;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;

namespace AutoCompress.Search.Agents;

/// <summary>
/// A fully connected network with ReLU between layers (and an optional sigmoid on the output), the shape of AMC's actor
/// and critic. Its weights are drawn from a <see cref="SeededRandom"/> rather than libtorch's global generator: the
/// global generator is shared by every training run in the process, so drawing from it would make the agent's
/// initialisation depend on what else runs (and perturb those runs). Hidden layers use PyTorch's default
/// U(±1/√fan_in); the output layer uses U(±<c>finalInit</c>) so the first actions and values start near the middle
/// (sigmoid 0.5) and near zero, as DDPG (Lillicrap et al. 2016) and AMC do.
/// </summary>
public sealed class Mlp : Module
{
    private readonly List<(Tensor Weight, Tensor Bias)> layers = [];

    /// <param name="sizes">Input size, hidden sizes, output size.</param>
    /// <param name="random">Where the initial weights come from; null for all zeros (a target network, copied later).</param>
    /// <param name="finalInit">The bound of the output layer's uniform initialisation.</param>
    /// <param name="sigmoidOutput">Squash the output into (0, 1) (the actor).</param>
    public Mlp(IReadOnlyList<int> sizes, SeededRandom? random, double finalInit = 3e-3, bool sigmoidOutput = false)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2 || sizes.Any(s => s <= 0)) throw new ArgumentException($"invalid layer sizes [{string.Join(", ", sizes)}]", nameof(sizes));
        Sizes = sizes.ToArray();
        SigmoidOutput = sigmoidOutput;
        for (var i = 0; i + 1 < sizes.Count; i++)
        {
            var (fanIn, fanOut) = (sizes[i], sizes[i + 1]);
            var bound = i + 2 == sizes.Count ? finalInit : 1.0 / Math.Sqrt(fanIn);
            var weight = RegisterParameter(FormattableString.Invariant($"l{i}_weight"), Tensor.FromArray(Draw(fanIn * fanOut, bound, random), fanOut, fanIn));
            var bias = RegisterParameter(FormattableString.Invariant($"l{i}_bias"), Tensor.FromArray(Draw(fanOut, bound, random), fanOut));
            layers.Add((weight, bias));
        }
    }

    /// <summary>Input size, hidden sizes, output size.</summary>
    public IReadOnlyList<int> Sizes { get; }

    public bool SigmoidOutput { get; }

    private static float[] Draw(int count, double bound, SeededRandom? random)
    {
        var values = new float[count];
        if (random is null) return values;
        for (var i = 0; i < count; i++) values[i] = (float)((2 * random.NextDouble() - 1) * bound);
        return values;
    }

    /// <summary>Intermediate results belong to the current <see cref="DisposeScope"/>.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        for (var i = 0; i < layers.Count; i++)
        {
            x = Functional.Linear(x, layers[i].Weight, layers[i].Bias);
            if (i + 1 < layers.Count) x = x.Relu();
        }
        return SigmoidOutput ? x.Sigmoid() : x;
    }

    /// <summary>Copies every parameter of <paramref name="source"/> (same sizes) into this network.</summary>
    public void CopyFrom(Mlp source) => Blend(source, 1);

    /// <summary>θ ← (1 − τ)·θ + τ·θ_source: DDPG's soft target update.</summary>
    public void Blend(Mlp source, double tau)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Sizes.SequenceEqual(Sizes)) throw new ArgumentException("the networks have different sizes", nameof(source));
        using var noGrad = TorchEngine.NoGrad();
        for (var i = 0; i < layers.Count; i++)
        {
            Mix(layers[i].Weight, source.layers[i].Weight, tau);
            Mix(layers[i].Bias, source.layers[i].Bias, tau);
        }
    }

    private static void Mix(Tensor target, Tensor source, double tau)
    {
        if (tau >= 1)
        {
            target.CopyFrom(source);
            return;
        }
        target.MulInPlace(1 - tau).AddInPlace(source, tau);
    }
}
