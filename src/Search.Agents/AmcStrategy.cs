using System.Globalization;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Agents;

/// <summary>
/// AMC (He et al. 2018, "AMC: AutoML for Model Compression") and HAQ (Wang et al. 2019) as an ask/tell strategy: a
/// DDPG agent walks the network's compressible layers in order and chooses, layer by layer, a pruning ratio ("amc") or
/// a weight bit width ("haq"), its actions clipped so the budget stays reachable (<see cref="LayerBudget"/>). One
/// episode is one suggestion.
/// <para>
/// Configurations: one parameter per searched layer, "ratio_&lt;layer&gt;" (a continuous parameter; the fraction of the
/// layer's output channels removed) or "bits_&lt;layer&gt;" (an integer parameter). The space must hold exactly those
/// parameters (the range the agent uses is the parameter's, narrowed by the options max_ratio / bits). The evaluator
/// interprets them: <see cref="ToMethodConfig"/> turns a configuration into the pruning method's "layer_ratios" or the
/// quantization method's "layer_bits". The budget is the layer table's cost model; the evaluator's realised network
/// rounds channels, so its measured cost can differ slightly from the model's.
/// </para>
/// <para>
/// Reward: the objective's score ("accuracy", default) or AMC's −error·ln(cost) ("amc_error_log_flops", error = 1 −
/// score, the cost from the observation's cost metric or else the layer table). Every transition of an episode gets
/// the episode's reward; the agent subtracts its moving-average baseline when it trains (<see cref="DdpgAgent"/>).
/// Failed trials and trials without the objective teach nothing and are dropped.
/// </para>
/// <para>
/// Asynchronous use: Ask(k) plays k episodes with the current actor (each with its own noise); the results may be told
/// in any order, each matched to its episode by the suggestion index. With one trial at a time this is AMC's sequential
/// algorithm. The whole state — agent, pending episodes, counters — is in <see cref="SaveState"/>.
/// </para>
/// <para>
/// Options (defaults): layers (see <see cref="LayerSpec.ParseTable"/>) or model (a model description file the table is
/// read from, see <see cref="ModelLayerTable"/>), parameter_prefix ("ratio_" or "bits_"; "prune.layer_ratios." suits
/// the compress evaluator), target {metric "macs" | "params",
/// ratio} (required), action "prune" | "bits" ("prune" for amc, "bits" for haq), max_ratio, bits [low, high],
/// reference_bits (the highest bit width searched), reward ("accuracy"), cost_metric (the target's metric),
/// warmup_episodes (10), hidden (300: two layers of 300, or a list), actor_lr (1e-4), critic_lr (1e-3), tau (0.01),
/// batch_size (64), replay_episodes (100, times the searched layers), sigma (0.5), sigma_decay (0.99),
/// baseline_momentum (0.9), discount (0), updates_per_episode (the number of searched layers).
/// </para>
/// The strategy owns native tensors (the agent's networks): dispose it when done; if it is dropped undisposed the
/// tensors are freed by their finalizers.
/// </summary>
public sealed class AmcStrategy : SearchStrategy
{
    public const string AmcName = "amc";
    public const string HaqName = "haq";

    private readonly string name;
    private readonly SearchSpace space;
    private readonly Objective objective;
    private readonly AmcSettings settings;
    private readonly LayerEmbedding embedding;
    private readonly DdpgAgent agent;
    private readonly string[] parameterNames;
    private readonly SortedDictionary<long, Episode> pending = [];
    private long suggested;

    /// <param name="context">Space, objective, seed and options.</param>
    /// <param name="name">"amc" (pruning ratios by default) or "haq" (bit widths by default).</param>
    public AmcStrategy(StrategyContext context, string name = AmcName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (name is not (AmcName or HaqName)) throw new ArgumentException($"the strategy is called '{AmcName}' or '{HaqName}', not '{name}'", nameof(name));
        this.name = name;
        space = context.Space ?? throw new SearchSpaceException($"strategy '{name}': no search space");
        objective = StrategyOptions.SingleObjective(context, name);
        settings = AmcSettings.Parse(context.Options, name, name == AmcName ? CompressionAction.Prune : CompressionAction.Bits);
        if (settings.Reward == AmcSettings.ErrorLogFlopsReward && objective.Direction != Direction.Maximize)
            throw new SearchSpaceException($"strategy '{name}': the reward '{AmcSettings.ErrorLogFlopsReward}' needs an accuracy to maximise, but the objective minimises '{objective.Metric}'");
        parameterNames = settings.Layers.Select(l => settings.ParameterPrefix + l.Name).ToArray();
        var ranges = Ranges();
        var referenceBits = settings.Action == CompressionAction.Bits
            ? settings.ReferenceBits ?? settings.Layers.Select((l, i) => l.Searched ? ranges[i].High : 0).Max()
            : 0;
        Budget = new LayerBudget(settings.Layers, settings.Action, settings.Metric, settings.Ratio, ranges, referenceBits, referenceBits);
        Budget.EnsureReachable(name);
        embedding = new LayerEmbedding(Budget);
        var ddpg = settings.Ddpg with
        {
            ReplayCapacity = checked(settings.ReplayEpisodes * embedding.Steps.Count),
            UpdatesPerEpisode = settings.Ddpg.UpdatesPerEpisode ?? embedding.Steps.Count,
        };
        agent = new DdpgAgent(LayerEmbedding.Size, ddpg, context.Seed);
    }

    /// <summary>The cost model and budget the suggestions keep to.</summary>
    public LayerBudget Budget { get; }

    /// <summary>The agent (for inspection: episodes, baseline, σ).</summary>
    public DdpgAgent Agent => agent;

    /// <summary>The layer table.</summary>
    public IReadOnlyList<LayerSpec> Layers => settings.Layers;

    /// <summary>Episodes suggested and not yet told.</summary>
    public int Pending => pending.Count;

    // Checks the space against the layer table and returns each layer's range (unused for layers not searched).
    private (double Low, double High)[] Ranges()
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var ranges = new (double, double)[settings.Layers.Count];
        for (var i = 0; i < settings.Layers.Count; i++)
        {
            var layer = settings.Layers[i];
            var parameter = space.Parameters.FirstOrDefault(p => p.Name == parameterNames[i]);
            if (!layer.Searched)
            {
                if (parameter is not null)
                    throw new SearchSpaceException($"strategy '{name}': layer '{layer.Name}' is not searched, but the space has a parameter '{parameterNames[i]}'");
                continue;
            }
            expected.Add(parameterNames[i]);
            if (parameter is null)
                throw new SearchSpaceException($"strategy '{name}': the space has no parameter '{parameterNames[i]}' for layer '{layer.Name}'");
            if (parameter.When is not null)
                throw new SearchSpaceException($"strategy '{name}': parameter '{parameter.Name}' must not be conditional");
            ranges[i] = settings.Action == CompressionAction.Prune ? RatioRange(parameter) : BitRange(parameter);
        }
        var extra = space.Parameters.Where(p => !expected.Contains(p.Name)).Select(p => p.Name).ToList();
        if (extra.Count > 0)
            throw new SearchSpaceException($"strategy '{name}': the agent chooses only per-layer parameters ({parameterNames.FirstOrDefault(expected.Contains)}, ...); " +
                $"the space also has {string.Join(", ", extra.Select(e => $"'{e}'"))} (fix other settings in the method's configuration)");
        return ranges;
    }

    private (double, double) RatioRange(Parameter parameter)
    {
        if (parameter is not ContinuousParameter { Log: false } c)
            throw new SearchSpaceException($"strategy '{name}': parameter '{parameter.Name}' must be a continuous (linear-scale) parameter");
        if (c.Low < 0 || c.High >= 1)
            throw new SearchSpaceException(string.Create(CultureInfo.InvariantCulture, $"strategy '{name}': parameter '{parameter.Name}' must lie within [0, 1), got [{c.Low}, {c.High}]"));
        var high = Math.Min(c.High, settings.MaxRatio ?? c.High);
        if (high < c.Low)
            throw new SearchSpaceException(string.Create(CultureInfo.InvariantCulture, $"strategy '{name}': option 'max_ratio' {settings.MaxRatio} is below the low end {c.Low} of '{parameter.Name}'"));
        return (c.Low, high);
    }

    private (double, double) BitRange(Parameter parameter)
    {
        if (parameter is not IntegerParameter { Log: false } p)
            throw new SearchSpaceException($"strategy '{name}': parameter '{parameter.Name}' must be an integer (linear-scale) parameter");
        if (p.Low < 1 || p.High > 64)
            throw new SearchSpaceException($"strategy '{name}': parameter '{parameter.Name}' must lie within [1, 64] bits, got [{p.Low}, {p.High}]");
        if (settings.Bits is not { } bits) return (p.Low, p.High);
        if (bits.Low < p.Low || bits.High > p.High)
            throw new SearchSpaceException($"strategy '{name}': option 'bits' [{bits.Low}, {bits.High}] is not within '{parameter.Name}''s range [{p.Low}, {p.High}]");
        return (bits.Low, bits.High);
    }

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var result = new List<Suggestion>(max);
        for (var i = 0; i < max; i++)
        {
            var (config, episode) = Play(agent.BeginEpisode());
            suggested++;
            pending[suggested] = episode;
            result.Add(new Suggestion(config));
        }
        return result;
    }

    // One episode: a state per searched layer, the actor's (noisy) action, clipped to the budget.
    private (JsonObject Config, Episode Episode) Play(long number)
    {
        var values = Enumerable.Range(0, settings.Layers.Count).Select(Budget.Unchanged).ToArray();
        var states = new List<double[]>();
        var actions = new List<double>();
        var previous = settings.Action == CompressionAction.Prune ? 0.0 : 1.0; // "nothing compressed yet"
        for (var step = 0; step < embedding.Steps.Count; step++)
        {
            var layer = embedding.Steps[step];
            var state = embedding.State(step, values, previous);
            var action = agent.Explore(state, number);
            values[layer] = Budget.Clip(layer, values, FromAction(layer, action));
            previous = ToAction(layer, values[layer]);
            states.Add(state);
            actions.Add(previous);
        }
        var config = new JsonObject();
        foreach (var p in space.Parameters)
        {
            var layer = Array.IndexOf(parameterNames, p.Name);
            config[p.Name] = settings.Action == CompressionAction.Prune ? JsonValue.Create(values[layer]) : JsonValue.Create((long)values[layer]);
        }
        return (config, new Episode(states, actions));
    }

    // An action in [0, 1] as a setting: a ratio in the layer's range, or (HAQ) bits from equal-width bins.
    private double FromAction(int layer, double action)
    {
        var (low, high) = Budget.Ranges[layer];
        return settings.Action == CompressionAction.Prune ? low + action * (high - low) : low - 0.5 + action * (high - low + 1);
    }

    // A setting as the action that produces it (the centre of its bin for bits): what the replay buffer stores.
    private double ToAction(int layer, double value)
    {
        var (low, high) = Budget.Ranges[layer];
        return settings.Action == CompressionAction.Prune
            ? high > low ? (value - low) / (high - low) : 0
            : (value - low + 0.5) / (high - low + 1);
    }

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!pending.Remove(observation.Index, out var episode)) return; // not ours (or told twice)
        if (Reward(observation) is not { } reward) return;
        var transitions = new List<Transition>(episode.States.Count);
        for (var t = 0; t < episode.States.Count; t++)
        {
            var last = t + 1 == episode.States.Count;
            transitions.Add(new Transition(episode.States[t], episode.Actions[t], last ? episode.States[t] : episode.States[t + 1], last));
        }
        agent.Learn(transitions, reward);
    }

    private double? Reward(Observation observation)
    {
        if (objective.Score(observation.Metrics) is not { } score) return null;
        if (settings.Reward == AmcSettings.ScoreReward) return score;
        var cost = observation.Metrics!.TryGetValue(settings.CostMetric, out var measured) && double.IsFinite(measured) ? measured : CostOf(observation.Config);
        return cost > 0 ? -(1 - score) * Math.Log(cost) : null;
    }

    /// <summary>The cost of a configuration under the layer table's cost model (compare with <see cref="LayerBudget.Budget"/>).</summary>
    public double CostOf(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var values = new double[settings.Layers.Count];
        for (var l = 0; l < values.Length; l++)
        {
            if (!settings.Layers[l].Searched)
            {
                values[l] = Budget.Unchanged(l);
                continue;
            }
            values[l] = StrategyOptions.AsNumber(config[parameterNames[l]])
                ?? throw new SearchSpaceException($"strategy '{name}': configuration has no number '{parameterNames[l]}'");
        }
        return Budget.Cost(values);
    }

    /// <summary>
    /// A configuration of this strategy as a compression method's configuration: "ratio_&lt;layer&gt;" members become
    /// {"layer_ratios": {layer: ratio}} (the pruning method), "bits_&lt;layer&gt;" members {"layer_bits": {layer: bits}}
    /// (the quantization method). Other members are copied unchanged.
    /// </summary>
    public static JsonObject ToMethodConfig(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ratios = new JsonObject();
        var bits = new JsonObject();
        var result = new JsonObject();
        foreach (var (key, value) in config)
        {
            if (key.StartsWith("ratio_", StringComparison.Ordinal)) ratios[key["ratio_".Length..]] = value?.DeepClone();
            else if (key.StartsWith("bits_", StringComparison.Ordinal)) bits[key["bits_".Length..]] = value?.DeepClone();
            else result[key] = value?.DeepClone();
        }
        if (ratios.Count > 0) result["layer_ratios"] = ratios;
        if (bits.Count > 0) result["layer_bits"] = bits;
        return result;
    }

    public override JsonObject SaveState() => new()
    {
        ["strategy"] = name,
        ["suggested"] = suggested,
        ["pending"] = new JsonArray(pending.Select(p => (JsonNode)new JsonObject
        {
            ["index"] = p.Key,
            ["states"] = Packing.Doubles(p.Value.States.SelectMany(s => s).ToArray()),
            ["actions"] = Packing.Doubles(p.Value.Actions.ToArray()),
        }).ToArray()),
        ["agent"] = agent.SaveState(),
    };

    public override void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StrategyOptions.ExpectStrategy(state, name);
        var restoredSuggested = StrategyState.RequireLong(state, name, "suggested");
        var restoredPending = new SortedDictionary<long, Episode>();
        foreach (var node in StrategyState.RequireArray(state, name, "pending"))
        {
            if (node is not JsonObject o) throw new SearchSpaceException($"strategy '{name}': a saved pending episode is not an object");
            var index = StrategyState.RequireLong(o, name, "index");
            var flat = Packing.ReadDoubles(o["states"]?.GetValue<string>(), "pending.states");
            var actions = Packing.ReadDoubles(o["actions"]?.GetValue<string>(), "pending.actions");
            if (actions.Length != embedding.Steps.Count || flat.Length != actions.Length * LayerEmbedding.Size)
                throw new SearchSpaceException($"strategy '{name}': saved episode {index} has {actions.Length} steps, the layer table {embedding.Steps.Count}");
            var states = Enumerable.Range(0, actions.Length).Select(t => flat.AsSpan(t * LayerEmbedding.Size, LayerEmbedding.Size).ToArray()).ToList();
            restoredPending[index] = new Episode(states, actions);
        }
        agent.RestoreState(StrategyState.RequireObject(state, name, "agent"));
        suggested = restoredSuggested;
        pending.Clear();
        foreach (var (k, v) in restoredPending) pending[k] = v;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) agent.Dispose();
        base.Dispose(disposing);
    }

    private sealed record Episode(IReadOnlyList<double[]> States, IReadOnlyList<double> Actions);
}
