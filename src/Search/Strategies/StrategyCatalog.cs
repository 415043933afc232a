using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>
/// The strategies an orchestrator can create by name: the built-in ones plus any that plugins of kind "strategy"
/// add. One catalog per orchestrator (no global registry), filled before experiments start.
/// </summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<string, Func<StrategyContext, SearchStrategy>> factories = new(StringComparer.Ordinal);

    /// <summary>A catalog holding the built-in strategies.</summary>
    public StrategyCatalog()
    {
        factories["random"] = c => new RandomSearch(c);
        factories[RegularizedEvolution.Name] = c => new RegularizedEvolution(c);
        factories[Nsga2.Name] = c => new Nsga2(c);
        factories[Reinforce.Name] = c => new Reinforce(c);
        factories[LocalSearch.Name] = c => new LocalSearch(c);
    }

    public IReadOnlyList<string> Names => factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Creates the named strategy; an unknown name fails with the list of known ones.</summary>
    public SearchStrategy Create(string name, StrategyContext context) =>
        factories.TryGetValue(name ?? "", out var create) ? create(context)
            : throw new SearchSpaceException($"unknown strategy '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>Adds a strategy; a duplicate name is refused.</summary>
    public void Add(string name, Func<StrategyContext, SearchStrategy> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (!factories.TryAdd(name, create)) throw new InvalidOperationException($"strategy '{name}' is already registered");
    }

    /// <summary>Adds a plugin's strategy factory under its id.</summary>
    public void Add(StrategyFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Add(factory.Id, factory.Create);
    }
}
