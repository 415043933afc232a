using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Objectives;

namespace AutoCompress.Search.Strategies;

/// <summary>
/// NSGA-II (Deb et al. 2002) for several objectives, with Deb's constraint domination for hard constraints
/// (option <c>constraints</c>, e.g. [{"metric": "latency_ms", "max": 5}]): a feasible result beats an infeasible
/// one, and of two infeasible ones the smaller total violation wins (see <see cref="ConstraintSet"/>).
/// <para>
/// Generational, fed asynchronously: the first <c>population_size</c> suggestions are random; after that every
/// suggestion is an offspring bred from the current parent population (two binary tournaments on rank, then crowding
/// distance; uniform crossover of the parameters with probability <c>crossover_rate</c>; each parameter mutated with
/// probability <c>mutation_rate</c>; conditional parameters repaired through the space). One offspring per pair
/// rather than two, since suggestions are asked one at a time. Whenever <c>population_size</c> results (a
/// generation's worth, failures included) have come in since the last selection, environmental selection merges
/// them with the parents and keeps the best <c>population_size</c> by non-dominated sorting and crowding distance.
/// So Ask never waits: while a generation is being evaluated, further offspring come from the parents as they stand.
/// </para>
/// <para>
/// A failed trial takes no part in selection. A feasible result missing an objective is treated as failed; an
/// infeasible one needs no objectives (it is ranked by its violation). Identical configurations count once in
/// selection (the oldest is kept), so duplicates told back by the deduplication middleware do not crowd the front.
/// A child identical to one of its parents is mutated once more.
/// </para>
/// Options: <c>population_size</c> (default <see cref="DefaultPopulation"/>), <c>crossover_rate</c> (0.9),
/// <c>mutation_rate</c> (default 1 / number of parameters), <c>mutation_scale</c> (0.2), <c>constraints</c> ([]).
/// On NAS-Bench-201 (validation accuracy against latency on each of the four devices, with deduplication, 50 seeds)
/// population 20 reaches 98.7–99.5% of the true front's hypervolume at 200 trials and 99.65–99.8% at 500
/// (random search: 94.4–99.1% and 96.2–99.5%; reference point accuracy 0, latency 1.1 × the slowest cell).
/// </summary>
public sealed class Nsga2 : SearchStrategy
{
    public const string Name = "nsga2";
    public const int DefaultPopulation = 20;

    private readonly SearchSpace space;
    private readonly List<Objective> objectives;
    private readonly ConstraintSet constraints;
    private readonly int populationSize;
    private readonly double crossoverRate;
    private readonly double mutationRate;
    private readonly double mutationScale;
    private SeededRandom random;
    private long suggested;
    private long generation;
    private int toldSinceSelection;
    private readonly List<Individual> population = [];
    private readonly List<Individual> offspring = [];
    private int[] rank = [];
    private double[] crowding = [];

    private sealed record Individual(long Index, JsonObject Config, IReadOnlyDictionary<string, double> Metrics, double[] Scores, double Violation, string Key);

    public Nsga2(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = context.Options;
        StrategyOptions.RejectUnknown(o, Name, "population_size", "crossover_rate", "mutation_rate", "mutation_scale", "constraints");
        space = context.Space;
        if (context.Objectives is not { Count: > 0 }) throw new SearchSpaceException($"strategy '{Name}': it needs at least one objective");
        objectives = context.Objectives.ToList();
        populationSize = StrategyOptions.Integer(o, Name, "population_size", DefaultPopulation, 2, 1_000_000);
        crossoverRate = StrategyOptions.Number(o, Name, "crossover_rate", 0.9, 0, 1);
        mutationRate = StrategyOptions.Number(o, Name, "mutation_rate", 1.0 / space.Parameters.Count, 0, 1);
        mutationScale = StrategyOptions.Number(o, Name, "mutation_scale", 0.2, 0, 1);
        constraints = ConstraintSet.FromJson(o["constraints"], $"strategy '{Name}'");
        random = new SeededRandom(context.Seed);
    }

    public int PopulationSize => populationSize;

    /// <summary>How many environmental selections have happened.</summary>
    public long Generation => generation;

    /// <summary>The parent population (indices of the trials), in selection order.</summary>
    public IReadOnlyList<long> Population => population.Select(i => i.Index).ToList();

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var result = new List<Suggestion>(max);
        for (var i = 0; i < max; i++)
        {
            var config = suggested < populationSize || population.Count == 0 ? space.Sample(random) : Breed();
            result.Add(new Suggestion(config));
            suggested++;
        }
        return result;
    }

    private JsonObject Breed()
    {
        var a = population[BinaryTournament()].Config;
        var b = population[BinaryTournament()].Config;
        var crossover = random.NextDouble() < crossoverRate;
        var child = new JsonObject();
        foreach (var p in space.Parameters)
        {
            if (!SearchSpace.IsActive(p, child)) continue;
            var (first, second) = crossover && random.NextInt(2) == 1 ? (b, a) : (a, b);
            var value = Legal(p, first) ?? Legal(p, second) ?? p.Sample(random);
            if (p.Cardinality > 1 && random.NextDouble() < mutationRate) value = p.Mutate(value, random, mutationScale);
            child[p.Name] = value.DeepClone();
        }
        var key = space.Canonical(child);
        if (key == space.Canonical(a) || key == space.Canonical(b)) child = space.Mutate(child, random, mutationScale);
        return child;
    }

    private static JsonNode? Legal(Parameter p, JsonObject config) =>
        config.TryGetPropertyValue(p.Name, out var v) && p.Contains(v) ? v : null;

    /// <summary>Two distinct members drawn at random; the lower rank wins, then the larger crowding distance.</summary>
    private int BinaryTournament()
    {
        var n = population.Count;
        if (n == 1) return 0;
        var i = random.NextInt(n);
        var j = random.NextInt(n - 1);
        if (j >= i) j++;
        if (rank[j] < rank[i] || (rank[j] == rank[i] && crowding[j] > crowding[i])) return j;
        return i;
    }

    public override void Tell(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        toldSinceSelection++;
        if (Evaluate(observation.Index, observation.Config, observation.Metrics) is { } individual) offspring.Add(individual);
        if (toldSinceSelection >= populationSize) Select();
    }

    private Individual? Evaluate(long index, JsonObject config, IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null) return null;
        var violation = constraints.Violation(metrics);
        var scores = new double[objectives.Count];
        for (var k = 0; k < scores.Length; k++)
        {
            if (objectives[k].Score(metrics) is { } s) scores[k] = s;
            else if (violation > 0) scores[k] = double.NegativeInfinity;
            else return null;
        }
        var copy = (JsonObject)config.DeepClone();
        return new Individual(index, copy, new Dictionary<string, double>(metrics, StringComparer.Ordinal), scores, violation, space.Canonical(copy));
    }

    /// <summary>Environmental selection: parents and new results, best fronts first, the last front cut by crowding.</summary>
    private void Select()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var union = population.Concat(offspring).Where(i => seen.Add(i.Key)).ToList();
        var fronts = NonDominatedSorting.Sort(union.Select(i => i.Scores).ToList(), union.Select(i => i.Violation).ToList());
        var next = new List<Individual>(populationSize);
        foreach (var front in fronts)
        {
            if (next.Count + front.Count <= populationSize)
            {
                next.AddRange(front.Select(i => union[i]));
                continue;
            }
            var distance = NonDominatedSorting.CrowdingDistance(union.Select(i => i.Scores).ToList(), front);
            var order = Enumerable.Range(0, front.Count).OrderByDescending(k => distance[k]).ThenBy(k => front[k]);
            next.AddRange(order.Take(populationSize - next.Count).Select(k => union[front[k]]));
            break;
        }
        population.Clear();
        population.AddRange(next);
        offspring.Clear();
        toldSinceSelection = 0;
        generation++;
        RankPopulation();
    }

    private void RankPopulation()
    {
        var scores = population.Select(i => i.Scores).ToList();
        var fronts = NonDominatedSorting.Sort(scores, population.Select(i => i.Violation).ToList());
        rank = new int[population.Count];
        crowding = new double[population.Count];
        for (var f = 0; f < fronts.Count; f++)
        {
            var distance = NonDominatedSorting.CrowdingDistance(scores, fronts[f]);
            for (var k = 0; k < fronts[f].Count; k++)
            {
                rank[fronts[f][k]] = f;
                crowding[fronts[f][k]] = distance[k];
            }
        }
    }

    public override JsonObject SaveState() => new()
    {
        ["strategy"] = Name,
        ["random"] = StrategyOptions.SaveRandom(random),
        ["suggested"] = suggested,
        ["generation"] = generation,
        ["told_since_selection"] = toldSinceSelection,
        ["population"] = Save(population),
        ["offspring"] = Save(offspring),
    };

    private static JsonArray Save(IEnumerable<Individual> individuals) => new(individuals.Select(i => (JsonNode)new JsonObject
    {
        ["index"] = i.Index,
        ["config"] = i.Config.DeepClone(),
        ["metrics"] = StrategyState.Metrics(i.Metrics),
    }).ToArray());

    private List<Individual> Load(JsonObject state, string member) =>
        StrategyState.RequireArray(state, Name, member).Select(n =>
        {
            var o = n as JsonObject ?? throw new SearchSpaceException($"strategy '{Name}': saved state has a '{member}' entry that is not an object");
            return Evaluate(StrategyState.RequireLong(o, Name, "index"), StrategyState.RequireConfig(o, Name, "config"),
                       StrategyState.ReadMetrics(o["metrics"], Name, "metrics"))
                   ?? throw new SearchSpaceException($"strategy '{Name}': saved state has a '{member}' entry without its objectives");
        }).ToList();

    public override void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StrategyOptions.ExpectStrategy(state, Name);
        var parents = Load(state, "population");
        var children = Load(state, "offspring");
        random = StrategyOptions.RestoreRandom(state["random"]);
        suggested = StrategyState.RequireLong(state, Name, "suggested");
        generation = StrategyState.RequireLong(state, Name, "generation");
        toldSinceSelection = checked((int)StrategyState.RequireLong(state, Name, "told_since_selection"));
        population.Clear();
        population.AddRange(parents);
        offspring.Clear();
        offspring.AddRange(children);
        RankPopulation();
    }
}
