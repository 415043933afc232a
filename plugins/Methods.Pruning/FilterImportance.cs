using AutoCompress.Torch;
using AutoCompress.Training.Graph;

namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Data-free filter importance (L1, L2, FPGM) from the weights alone. A group's score per channel is
/// the sum over its producers, so the channels a residual add ties together are ranked as one.
/// The Taylor criterion needs gradients: see <see cref="TaylorImportance"/>.
/// </summary>
public static class FilterImportance
{
    /// <summary>
    /// One score per filter of <paramref name="weights"/>, a row-major [filters, rest] array
    /// (a conv weight [out, in, k, k] or a linear weight [out, in]); higher is more important.
    /// </summary>
    public static double[] Score(ReadOnlySpan<float> weights, int filters, ImportanceCriterion criterion)
    {
        if (filters <= 0 || weights.Length % filters != 0)
            throw new ArgumentException($"{weights.Length} weights do not split into {filters} filters");
        var size = weights.Length / filters;
        var scores = new double[filters];
        switch (criterion)
        {
            case ImportanceCriterion.L1:
                for (var f = 0; f < filters; f++)
                {
                    double s = 0;
                    foreach (var w in weights.Slice(f * size, size)) s += Math.Abs(w);
                    scores[f] = s;
                }
                break;
            case ImportanceCriterion.L2:
                for (var f = 0; f < filters; f++)
                {
                    double s = 0;
                    foreach (var w in weights.Slice(f * size, size)) s += (double)w * w;
                    scores[f] = Math.Sqrt(s);
                }
                break;
            case ImportanceCriterion.Fpgm:
                // Summed Euclidean distance to the other filters: smallest near the geometric median.
                for (var a = 0; a < filters; a++)
                    for (var b = a + 1; b < filters; b++)
                    {
                        var wa = weights.Slice(a * size, size);
                        var wb = weights.Slice(b * size, size);
                        double d = 0;
                        for (var i = 0; i < size; i++)
                        {
                            var diff = (double)wa[i] - wb[i];
                            d += diff * diff;
                        }
                        d = Math.Sqrt(d);
                        scores[a] += d;
                        scores[b] += d;
                    }
                break;
            default:
                throw new ArgumentException($"criterion {criterion} needs gradients; use {nameof(TaylorImportance)}");
        }
        return scores;
    }

    /// <summary>One score per filter (dimension 0) of a weight tensor.</summary>
    public static double[] Score(Tensor weight, ImportanceCriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = TorchEngine.NewDisposeScope();
        var values = weight.Detach().To(DType.Float32).Contiguous().ToArray<float>();
        return Score(values, (int)weight.Size(0), criterion);
    }

    /// <summary>Scores of every prunable group of <paramref name="model"/> (which realises the analysed description).</summary>
    public static Dictionary<int, double[]> ForGroups(GraphModel model, ChannelDependencies dependencies, ImportanceCriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dependencies);
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        using var scope = TorchEngine.NewDisposeScope();
        var result = new Dictionary<int, double[]>();
        foreach (var group in dependencies.Groups.Where(g => g.Prunable))
        {
            var total = new double[group.Channels];
            foreach (var producer in group.Producers)
            {
                var scores = Score(parameters[$"{producer}.weight"], criterion);
                for (var c = 0; c < total.Length; c++) total[c] += scores[c];
            }
            result[group.Id] = total;
        }
        return result;
    }
}
