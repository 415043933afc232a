using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Agents;

/// <summary>
/// Registers the agent strategies with a catalog. They live outside AutoCompress.Search because they need the tensor
/// engine, which the other strategies do not.
/// </summary>
public static class AgentStrategies
{
    /// <summary>The built-in strategies and the agents: the catalog the CLI and the service search with.</summary>
    public static StrategyCatalog Catalog()
    {
        var catalog = new StrategyCatalog();
        catalog.AddAgents();
        return catalog;
    }

    /// <summary>Adds "amc" (per-layer pruning ratios) and "haq" (per-layer bit widths).</summary>
    public static void AddAgents(this StrategyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(AmcStrategy.AmcName, c => new AmcStrategy(c, AmcStrategy.AmcName));
        catalog.Add(AmcStrategy.HaqName, c => new AmcStrategy(c, AmcStrategy.HaqName));
    }
}
