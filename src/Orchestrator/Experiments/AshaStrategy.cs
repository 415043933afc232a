using System.Globalization;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Orchestrator.Scheduling;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// Multi-fidelity search as a strategy: ASHA decides, whenever there is room, whether to promote a configuration one
/// rung up (a new trial of the same configuration at eta times the resource) or to start a new one, which the inner
/// strategy proposes. The inner strategy is told each configuration's first (lowest-rung) result, the only one every
/// configuration gets, under its own numbering of suggestions.
/// </summary>
public sealed class AshaStrategy : SearchStrategy
{
    private readonly SearchStrategy inner;
    private readonly Objective objective;
    private AsynchronousSuccessiveHalving asha;
    // Our suggestion index -> ASHA trial key and rung; ASHA configuration id -> (config, the inner strategy's index).
    private Dictionary<long, (long Key, int Rung, int ConfigurationId)> byIndex = [];
    private Dictionary<long, long> indexByKey = [];
    private Dictionary<int, (JsonObject Config, long InnerIndex)> configurations = [];
    private long suggested;
    private long innerSuggested;

    public AshaStrategy(SearchStrategy inner, Objective objective, FidelitySpec fidelity, long? maxConfigurations)
    {
        ArgumentNullException.ThrowIfNull(fidelity);
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        this.objective = objective ?? throw new ArgumentNullException(nameof(objective));
        asha = new AsynchronousSuccessiveHalving(new AshaOptions
        {
            Direction = objective.Direction == Direction.Maximize ? OptimizationDirection.Maximize : OptimizationDirection.Minimize,
            MinResource = fidelity.Min,
            MaxResource = fidelity.Max,
            Eta = fidelity.Eta,
            MaxConfigurations = maxConfigurations is { } m ? (int)Math.Min(m, int.MaxValue) : null,
        });
    }

    /// <summary>The rungs' resources, lowest first.</summary>
    public IReadOnlyList<double> Resources => asha.Resources;

    public override bool IsFinished => asha.Peek() == SchedulerDecisionKind.Finished;

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        var result = new List<Suggestion>();
        while (result.Count < max)
        {
            var decision = asha.NextJob();
            if (decision.Job is not { } job) break;
            JsonObject config;
            long? parentIndex = null;
            if (job.IsNewConfiguration)
            {
                var proposed = inner.Ask(1);
                if (proposed.Count == 0)
                {
                    asha.Withdraw(job.TrialKey);
                    break;
                }
                config = proposed[0].Config;
                configurations[job.ConfigurationId] = (config, ++innerSuggested);
            }
            else
            {
                config = configurations[job.ConfigurationId].Config;
                parentIndex = indexByKey[job.ParentTrialKey!.Value];
            }
            suggested++;
            byIndex[suggested] = (job.TrialKey, job.Rung, job.ConfigurationId);
            indexByKey[job.TrialKey] = suggested;
            // Promotions first: they refine what is already known to be good.
            result.Add(new Suggestion((JsonObject)config.DeepClone(), job.Resource, parentIndex, job.Rung));
        }
        return result;
    }

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!byIndex.Remove(observation.Index, out var trial))
            throw new InvalidOperationException($"asha: suggestion {observation.Index} is unknown or was already told");
        // ASHA knows the direction, so it gets the metric as measured.
        if (objective.Score(observation.Metrics) is null)
            asha.ReportFailure(trial.Key, trial.Rung, observation.Error ?? $"metric '{objective.Metric}' is missing or not finite");
        else
            asha.Report(trial.Key, trial.Rung, observation.Metrics![objective.Metric]);
        if (trial.Rung == 0)
        {
            var (config, innerIndex) = configurations[trial.ConfigurationId];
            inner.Tell(observation with { Index = innerIndex, Config = config });
        }
    }

    public override JsonObject SaveState() => new()
    {
        ["strategy"] = "asha",
        ["asha"] = JsonNode.Parse(asha.SaveState().ToJson()),
        ["inner"] = inner.SaveState(),
        ["suggested"] = suggested,
        ["inner_suggested"] = innerSuggested,
        ["outstanding"] = new JsonArray(byIndex.Select(kv => (JsonNode)new JsonArray(kv.Key, kv.Value.Key, kv.Value.Rung, kv.Value.ConfigurationId)).ToArray()),
        ["index_by_key"] = new JsonArray(indexByKey.Select(kv => (JsonNode)new JsonArray(kv.Key, kv.Value)).ToArray()),
        ["configurations"] = new JsonArray(configurations.Select(kv =>
            (JsonNode)new JsonObject { ["id"] = kv.Key, ["config"] = kv.Value.Config.DeepClone(), ["inner_index"] = kv.Value.InnerIndex }).ToArray()),
    };

    public override void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StrategyOptions.ExpectStrategy(state, "asha");
        asha = AsynchronousSuccessiveHalving.Restore(FidelitySchedulerState.FromJson(state["asha"]!.ToJsonString()));
        inner.RestoreState(state["inner"]!.AsObject());
        suggested = state["suggested"]!.GetValue<long>();
        innerSuggested = state["inner_suggested"]!.GetValue<long>();
        byIndex = state["outstanding"]!.AsArray().ToDictionary(n => n![0]!.GetValue<long>(), n => (n![1]!.GetValue<long>(), n[2]!.GetValue<int>(), n[3]!.GetValue<int>()));
        indexByKey = state["index_by_key"]!.AsArray().ToDictionary(n => n![0]!.GetValue<long>(), n => n![1]!.GetValue<long>());
        configurations = state["configurations"]!.AsArray().ToDictionary(n => n!["id"]!.GetValue<int>(),
            n => (n!["config"]!.AsObject().DeepClone().AsObject(), n["inner_index"]!.GetValue<long>()));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"asha over {inner.GetType().Name}, rungs {string.Join('/', asha.Resources)}");

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
