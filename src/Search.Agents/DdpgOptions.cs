namespace AutoCompress.Search.Agents;

/// <summary>
/// The settings of a <see cref="DdpgAgent"/>. The defaults are AMC's (He et al. 2018): 300-300 hidden units, Adam with
/// learning rates 1e-4 (actor) and 1e-3 (critic), soft target updates with τ = 0.01, minibatches of 64, truncated-normal
/// exploration noise with σ = 0.5 decaying by 0.99 per episode after the warm-up (AMC's paper; its code uses 0.95).
/// <para>
/// <see cref="Discount"/> defaults to 0 rather than AMC's 1: every transition of an episode already carries the
/// episode's whole reward, so the target of Q(s_t, a_t) is that reward (a Monte-Carlo estimate of what the rest of the
/// episode brought). Bootstrapping on top of it with discount 1, as AMC's code does, adds the reward once per remaining
/// layer. The option is kept for experiments.
/// </para>
/// </summary>
public sealed record DdpgOptions
{
    /// <summary>Hidden layer sizes of actor and critic.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [300, 300];

    public double ActorLearningRate { get; init; } = 1e-4;

    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Soft target update rate.</summary>
    public double Tau { get; init; } = 0.01;

    public int BatchSize { get; init; } = 64;

    /// <summary>Transitions the replay buffer holds (oldest dropped first).</summary>
    public int ReplayCapacity { get; init; } = 2000;

    /// <summary>Episodes with uniformly random actions, and no training, before the actor takes over.</summary>
    public int WarmupEpisodes { get; init; } = 10;

    /// <summary>σ of the truncated-normal exploration noise in the first episode after the warm-up.</summary>
    public double InitialSigma { get; init; } = 0.5;

    /// <summary>σ is multiplied by this once per episode after the warm-up.</summary>
    public double SigmaDecay { get; init; } = 0.99;

    /// <summary>
    /// Momentum of the reward baseline, an exponential moving average of episode rewards (the first reward sets it).
    /// Q learns reward − baseline, which keeps the critic's targets near zero as rewards improve.
    /// </summary>
    public double BaselineMomentum { get; init; } = 0.9;

    /// <summary>Weight of the bootstrapped next-state value in the critic's target (see the type's remarks).</summary>
    public double Discount { get; init; }

    /// <summary>DDPG updates after each learned episode; null for one per transition of the episode (AMC).</summary>
    public int? UpdatesPerEpisode { get; init; }

    /// <summary>Bound of the output layers' uniform initialisation.</summary>
    public double FinalInit { get; init; } = 3e-3;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string what)
        {
            if (!ok) throw new ArgumentException($"DDPG options: {what}");
        }
        Require(Hidden is { Count: > 0 } && Hidden.All(h => h is > 0 and <= 65_536), "hidden sizes must be 1..65536");
        Require(ActorLearningRate > 0 && double.IsFinite(ActorLearningRate), "the actor learning rate must be positive");
        Require(CriticLearningRate > 0 && double.IsFinite(CriticLearningRate), "the critic learning rate must be positive");
        Require(Tau is > 0 and <= 1, "tau must be in (0, 1]");
        Require(BatchSize is > 0 and <= 1_000_000, "the batch size must be positive");
        Require(ReplayCapacity is > 0 and <= 10_000_000, "the replay capacity must be positive");
        Require(WarmupEpisodes >= 0, "the warm-up must not be negative");
        Require(InitialSigma >= 0 && double.IsFinite(InitialSigma), "sigma must not be negative");
        Require(SigmaDecay is > 0 and <= 1, "the sigma decay must be in (0, 1]");
        Require(BaselineMomentum is >= 0 and < 1, "the baseline momentum must be in [0, 1)");
        Require(Discount is >= 0 and <= 1, "the discount must be in [0, 1]");
        Require(UpdatesPerEpisode is null or >= 0, "updates per episode must not be negative");
        Require(FinalInit > 0 && double.IsFinite(FinalInit), "the final-layer init bound must be positive");
    }
}
