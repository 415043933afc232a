namespace AutoCompress.Contracts.Search;

/// <summary>
/// A plugin of kind "strategy": creates a strategy by name for an experiment. Options come from the experiment spec;
/// an unknown or invalid option is reported with a <see cref="SearchSpaceException"/> naming it.
/// </summary>
public abstract class StrategyFactory
{
    /// <summary>The name experiment specs use, e.g. "random", "regularized_evolution".</summary>
    public abstract string Id { get; }

    /// <summary>One line for listings.</summary>
    public virtual string Description => Id;

    public abstract SearchStrategy Create(StrategyContext context);
}
