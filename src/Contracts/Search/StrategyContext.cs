using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>What a strategy is created with.</summary>
public sealed record StrategyContext
{
    /// <summary>The space to search.</summary>
    public required SearchSpace Space { get; init; }

    /// <summary>What to optimise: one objective for single-objective strategies, several for multi-objective ones.</summary>
    public required IReadOnlyList<Objective> Objectives { get; init; }

    /// <summary>The seed all randomness derives from.</summary>
    public required long Seed { get; init; }

    /// <summary>How many suggestions the experiment will run at most (a strategy may plan with it), or null.</summary>
    public long? MaxTrials { get; init; }

    /// <summary>The strategy's own options from the experiment spec (snake_case JSON), empty when none were given.</summary>
    public JsonObject Options { get; init; } = [];
}
