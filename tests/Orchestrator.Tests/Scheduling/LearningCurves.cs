using AutoCompress.Orchestrator.Scheduling;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>
/// A seeded population of synthetic learning curves (accuracy, to maximize): configuration i reaches final accuracy
/// q_i with time constant tau_i, acc_i(x) = q_i − (q_i − 0.1)·exp(−x / tau_i), observed with Gaussian noise whose
/// standard deviation shrinks as sigma / sqrt(x). Slow learners with a high final accuracy look bad at small x, so
/// low-fidelity rankings are informative but imperfect, as in real training. Observations depend only on
/// (seed, configuration, resource), never on the order of evaluation.
/// </summary>
internal sealed class LearningCurves
{
    private readonly int seed;
    private readonly double[] quality;
    private readonly double[] tau;
    private readonly double sigma;

    public LearningCurves(int seed, int configurations, double maxResource, double sigma = 0.02, double minTau = 1, double maxTau = 8)
    {
        this.seed = seed;
        this.sigma = sigma;
        MaxResource = maxResource;
        var random = new Random(seed);
        quality = [.. Enumerable.Range(0, configurations).Select(_ => 0.55 + 0.4 * random.NextDouble())];
        tau = [.. Enumerable.Range(0, configurations).Select(_ => minTau + (maxTau - minTau) * random.NextDouble())];
    }

    public double MaxResource { get; }

    public int Count => quality.Length;

    /// <summary>The noise-free accuracy of configuration <paramref name="id"/> (1-based) at resource <paramref name="x"/>.</summary>
    public double True(int id, double x) => quality[id - 1] - (quality[id - 1] - 0.1) * Math.Exp(-x / tau[id - 1]);

    /// <summary>What an evaluation of <paramref name="job"/> reports.</summary>
    public double Observe(FidelityJob job)
    {
        var random = new Random(unchecked(seed * 1_000_003 + job.ConfigurationId * 7919 + (int)Math.Round(job.Resource * 1000)));
        var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return True(job.ConfigurationId, job.Resource) + sigma / Math.Sqrt(job.Resource) * gaussian;
    }

    /// <summary>0 for the configuration with the best true accuracy at the maximum resource, 1 for the next, ...</summary>
    public int RankAtMax(int id)
    {
        var mine = True(id, MaxResource);
        return Enumerable.Range(1, Count).Count(other => True(other, MaxResource) > mine);
    }

    /// <summary>The job duration in the simulation: proportional to the resource, with a per-configuration speed.</summary>
    public double Duration(FidelityJob job)
    {
        var speed = 0.75 + 0.5 * new Random(unchecked(seed * 31 + job.ConfigurationId)).NextDouble();
        return job.Resource * speed;
    }
}
