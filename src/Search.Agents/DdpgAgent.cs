using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;
using AutoCompress.Torch;
using AutoCompress.Torch.Optim;

namespace AutoCompress.Search.Agents;

/// <summary>
/// Deep deterministic policy gradient (Lillicrap et al. 2016) for one continuous action in [0, 1] per step, as AMC
/// (He et al. 2018) and HAQ (Wang et al. 2019) use it to choose a compression setting per layer. The actor μ(s) is a
/// sigmoid MLP, the critic Q(s, a) an MLP over the state with the action appended; both train with Adam on minibatches
/// from a <see cref="ReplayBuffer"/>, against slowly following target networks (soft updates with τ).
/// <para>
/// Episodes: <see cref="BeginEpisode"/> numbers them. The first <see cref="DdpgOptions.WarmupEpisodes"/> act uniformly
/// at random; later ones explore around μ(s) with noise from a normal distribution truncated to [0, 1] whose σ decays
/// per episode. <see cref="Learn"/> takes a finished episode with its reward: the baseline (a moving average of episode
/// rewards) moves, the transitions enter the replay buffer with the reward, and — once the warm-up episodes have been
/// learned — a few DDPG updates run. The critic's target for a transition is reward − baseline (plus the discounted
/// target value of the next state when <see cref="DdpgOptions.Discount"/> &gt; 0).
/// </para>
/// <para>
/// Determinism and checkpoints: all randomness (initial weights, warm-up actions, noise, minibatches) comes from one
/// <see cref="SeededRandom"/>, never from libtorch's global generator, so one seed gives one run no matter what else
/// the process does. <see cref="SaveState"/> holds everything — weights of the four networks, both Adam states (moments
/// and step counts, via libtorch's own serialisation), the replay buffer, the counters, σ, the baseline and the random
/// state — so an agent restored from it continues exactly as the saved one would have.
/// </para>
/// The agent owns native tensors: dispose it.
/// </summary>
public sealed class DdpgAgent : IDisposable
{
    private readonly Mlp actor;
    private readonly Mlp critic;
    private readonly Mlp actorTarget;
    private readonly Mlp criticTarget;
    private readonly Adam actorOptimizer;
    private readonly Adam criticOptimizer;
    private readonly ReplayBuffer replay;
    private SeededRandom random;
    private bool disposed;

    public DdpgAgent(int stateSize, DdpgOptions options, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateSize);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        (StateSize, Options) = (stateSize, options);
        random = new SeededRandom(seed);
        int[] actorSizes = [stateSize, .. options.Hidden, 1];
        int[] criticSizes = [stateSize + 1, .. options.Hidden, 1];
        var built = new List<IDisposable>();
        try
        {
            actor = Track(built, new Mlp(actorSizes, random, options.FinalInit, sigmoidOutput: true));
            critic = Track(built, new Mlp(criticSizes, random, options.FinalInit));
            actorTarget = Track(built, new Mlp(actorSizes, null, options.FinalInit, sigmoidOutput: true));
            criticTarget = Track(built, new Mlp(criticSizes, null, options.FinalInit));
            actorTarget.CopyFrom(actor);
            criticTarget.CopyFrom(critic);
            actorTarget.Freeze();
            criticTarget.Freeze();
            actorOptimizer = Track(built, new Adam(actor.Parameters(), options.ActorLearningRate));
            criticOptimizer = Track(built, new Adam(critic.Parameters(), options.CriticLearningRate));
        }
        catch
        {
            foreach (var d in built) d.Dispose();
            throw;
        }
        replay = new ReplayBuffer(options.ReplayCapacity, stateSize);
    }

    private static T Track<T>(List<IDisposable> built, T item) where T : IDisposable
    {
        built.Add(item);
        return item;
    }

    public int StateSize { get; }

    public DdpgOptions Options { get; }

    /// <summary>Episodes begun (the next episode's number).</summary>
    public long EpisodesBegun { get; private set; }

    /// <summary>Episodes learned from.</summary>
    public long EpisodesLearned { get; private set; }

    /// <summary>DDPG updates done.</summary>
    public long Updates { get; private set; }

    /// <summary>The reward baseline, or null before the first reward.</summary>
    public double? Baseline { get; private set; }

    /// <summary>Transitions in the replay buffer.</summary>
    public int ReplayCount => replay.Count;

    /// <summary>The exploration σ of the next episode to begin.</summary>
    public double Sigma => SigmaOf(EpisodesBegun);

    /// <summary>Whether episode <paramref name="episode"/> acts at random (warm-up).</summary>
    public bool IsWarmup(long episode) => episode < Options.WarmupEpisodes;

    /// <summary>σ of episode <paramref name="episode"/>: σ₀·decay^(episode − warm-up) after the warm-up.</summary>
    public double SigmaOf(long episode) => Options.InitialSigma * Math.Pow(Options.SigmaDecay, Math.Max(0, episode - Options.WarmupEpisodes));

    /// <summary>Starts an episode and returns its number (0-based).</summary>
    public long BeginEpisode() => EpisodesBegun++;

    /// <summary>The actor's deterministic action μ(s) in (0, 1).</summary>
    public double Act(IReadOnlyList<double> state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = TorchEngine.NewDisposeScope();
        using var noGrad = TorchEngine.NoGrad();
        using var x = Tensor.FromArray(ToFloats(state), 1, StateSize);
        return actor.Forward(x).Item();
    }

    /// <summary>
    /// The action to take in <paramref name="state"/> during episode <paramref name="episode"/>: uniform in [0, 1]
    /// during the warm-up, otherwise μ(s) plus truncated-normal noise.
    /// </summary>
    public double Explore(IReadOnlyList<double> state, long episode)
    {
        if (IsWarmup(episode)) return random.NextDouble();
        return TruncatedNormal(Act(state), SigmaOf(episode));
    }

    // N(mean, sigma²) restricted to [0, 1], by rejection (at least about a sixth of the draws land inside for any
    // mean in [0, 1]); after many misses, the clamped mean.
    private double TruncatedNormal(double mean, double sigma)
    {
        if (sigma <= 0) return Math.Clamp(mean, 0, 1);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var x = mean + sigma * random.NextGaussian();
            if (x is >= 0 and <= 1) return x;
        }
        return Math.Clamp(mean, 0, 1);
    }

    /// <summary>
    /// Learns from a finished episode: moves the baseline, stores the transitions with the reward and, once the
    /// warm-up episodes are learned, runs <see cref="DdpgOptions.UpdatesPerEpisode"/> updates (default: one per transition).
    /// </summary>
    public void Learn(IReadOnlyList<Transition> transitions, double reward)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(transitions);
        if (!double.IsFinite(reward)) throw new ArgumentException($"the reward must be finite, got {reward}", nameof(reward));
        Baseline = Baseline is { } b ? Options.BaselineMomentum * b + (1 - Options.BaselineMomentum) * reward : reward;
        foreach (var t in transitions) replay.Add(t, reward);
        EpisodesLearned++;
        if (EpisodesLearned < Options.WarmupEpisodes || replay.Count == 0) return;
        var updates = Options.UpdatesPerEpisode ?? transitions.Count;
        for (var i = 0; i < updates; i++) Update();
    }

    /// <summary>One DDPG update on a minibatch drawn (with replacement) from the replay buffer.</summary>
    public void Update()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (replay.Count == 0) throw new InvalidOperationException("the replay buffer is empty");
        var n = Options.BatchSize;
        var s = new float[n * StateSize];
        var s2 = new float[n * StateSize];
        var a = new float[n];
        var r = new float[n];
        var notDone = new float[n];
        var baseline = Baseline ?? 0;
        for (var i = 0; i < n; i++)
        {
            var j = random.NextInt(replay.Count);
            Copy(replay.State(j), s.AsSpan(i * StateSize, StateSize));
            Copy(replay.NextState(j), s2.AsSpan(i * StateSize, StateSize));
            a[i] = (float)replay.Action(j);
            r[i] = (float)(replay.Reward(j) - baseline);
            notDone[i] = replay.Done(j) ? 0 : 1;
        }

        using var scope = TorchEngine.NewDisposeScope();
        var states = Tensor.FromArray(s, n, StateSize);
        var actions = Tensor.FromArray(a, n, 1);
        var target = Tensor.FromArray(r, n, 1);
        if (Options.Discount > 0)
        {
            using var noGrad = TorchEngine.NoGrad();
            var next = Tensor.FromArray(s2, n, StateSize);
            var nextValue = criticTarget.Forward(Tensor.Cat([next, actorTarget.Forward(next)], 1));
            target = target + nextValue * Tensor.FromArray(notDone, n, 1) * Options.Discount;
        }

        var q = critic.Forward(Tensor.Cat([states, actions], 1));
        var criticLoss = Functional.MseLoss(q, target);
        criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        criticOptimizer.Step();

        var policyValue = critic.Forward(Tensor.Cat([states, actor.Forward(states)], 1));
        var actorLoss = policyValue.Mean().Neg();
        actorOptimizer.ZeroGrad();
        actorLoss.Backward();
        actorOptimizer.Step();
        critic.ZeroGrad(); // the actor's loss left gradients on the critic

        actorTarget.Blend(actor, Options.Tau);
        criticTarget.Blend(critic, Options.Tau);
        Updates++;
    }

    private static void Copy(ReadOnlySpan<double> from, Span<float> to)
    {
        for (var k = 0; k < from.Length; k++) to[k] = (float)from[k];
    }

    private float[] ToFloats(IReadOnlyList<double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != StateSize) throw new ArgumentException($"a state has {StateSize} features, got {state.Count}", nameof(state));
        var x = new float[StateSize];
        for (var k = 0; k < StateSize; k++) x[k] = (float)state[k];
        return x;
    }

    /// <summary>Everything the agent is, as JSON (weights and Adam states as base64).</summary>
    public JsonObject SaveState()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return new JsonObject
        {
            ["state_size"] = StateSize,
            ["random"] = StrategyOptions.SaveRandom(random),
            ["episodes_begun"] = EpisodesBegun,
            ["episodes_learned"] = EpisodesLearned,
            ["updates"] = Updates,
            ["sigma"] = StrategyState.Double(Sigma),
            ["baseline"] = Baseline is { } b ? StrategyState.Double(b) : null,
            ["actor"] = SaveNetwork(actor),
            ["critic"] = SaveNetwork(critic),
            ["actor_target"] = SaveNetwork(actorTarget),
            ["critic_target"] = SaveNetwork(criticTarget),
            ["actor_optimizer"] = Convert.ToBase64String(actorOptimizer.SaveState()),
            ["critic_optimizer"] = Convert.ToBase64String(criticOptimizer.SaveState()),
            ["replay"] = replay.Save(),
        };
    }

    /// <summary>Continues from <see cref="SaveState"/> of an agent with the same state size and options.</summary>
    public void RestoreState(JsonObject state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        const string owner = "ddpg";
        var stateSize = StrategyState.RequireLong(state, owner, "state_size");
        if (stateSize != StateSize) throw new SearchSpaceException($"agent state: saved for {stateSize} state features, this agent has {StateSize}");
        var restoredRandom = StrategyOptions.RestoreRandom(state["random"]);
        var begun = StrategyState.RequireLong(state, owner, "episodes_begun");
        var learned = StrategyState.RequireLong(state, owner, "episodes_learned");
        var updates = StrategyState.RequireLong(state, owner, "updates");
        double? baseline = state["baseline"] is null ? null : StrategyState.RequireDouble(state, owner, "baseline");
        var actorState = Packing.Decode(state["actor_optimizer"]?.GetValue<string>(), "actor_optimizer");
        var criticState = Packing.Decode(state["critic_optimizer"]?.GetValue<string>(), "critic_optimizer");
        // Check everything that can be checked before changing anything.
        var networks = new (Mlp Net, string Name)[] { (actor, "actor"), (critic, "critic"), (actorTarget, "actor_target"), (criticTarget, "critic_target") };
        var saved = networks.Select(n => ReadNetwork(n.Net, StrategyState.RequireObject(state, owner, n.Name), n.Name)).ToList();
        var replayState = StrategyState.RequireObject(state, owner, "replay");
        replay.Restore(replayState);
        using (var noGrad = TorchEngine.NoGrad())
        {
            for (var i = 0; i < networks.Length; i++)
            {
                foreach (var ((_, tensor), values) in networks[i].Net.NamedParameters().Zip(saved[i]))
                {
                    using var source = Tensor.FromArray(values, tensor.Shape);
                    tensor.CopyFrom(source);
                }
            }
        }
        actorOptimizer.LoadState(actorState);
        criticOptimizer.LoadState(criticState);
        random = restoredRandom;
        (EpisodesBegun, EpisodesLearned, Updates, Baseline) = (begun, learned, updates, baseline);
    }

    private static JsonObject SaveNetwork(Mlp network)
    {
        var o = new JsonObject();
        foreach (var (name, tensor) in network.NamedParameters())
            o[name] = new JsonObject
            {
                ["shape"] = new JsonArray(tensor.Shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data"] = Packing.Floats(tensor.ToArray<float>()),
            };
        return o;
    }

    private static List<float[]> ReadNetwork(Mlp network, JsonObject saved, string what)
    {
        var result = new List<float[]>();
        foreach (var (name, tensor) in network.NamedParameters())
        {
            if (saved[name] is not JsonObject entry) throw new SearchSpaceException($"agent state: '{what}' has no '{name}'");
            var shape = (entry["shape"] as JsonArray)?.Select(d => d!.GetValue<long>()).ToArray() ?? [];
            if (!shape.SequenceEqual(tensor.Shape))
                throw new SearchSpaceException($"agent state: '{what}.{name}' has shape [{string.Join(", ", shape)}], the network [{string.Join(", ", tensor.Shape)}]");
            var values = Packing.ReadFloats(entry["data"]?.GetValue<string>(), $"{what}.{name}");
            if (values.Length != tensor.NumEl) throw new SearchSpaceException($"agent state: '{what}.{name}' holds {values.Length} values, the network {tensor.NumEl}");
            result.Add(values);
        }
        if (saved.Count != result.Count) throw new SearchSpaceException($"agent state: '{what}' has {saved.Count} tensors, the network {result.Count}");
        return result;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        actorOptimizer.Dispose();
        criticOptimizer.Dispose();
        actor.Dispose();
        critic.Dispose();
        actorTarget.Dispose();
        criticTarget.Dispose();
    }
}
