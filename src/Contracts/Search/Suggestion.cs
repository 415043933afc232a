using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>A configuration to evaluate.</summary>
/// <param name="Config">Values for the space's active parameters.</param>
/// <param name="Fidelity">
/// How much to spend on it (epochs, a data fraction) for multi-fidelity strategies; 1 is full fidelity unless the
/// experiment defines its own resource scale.
/// </param>
/// <param name="ParentIndex">For a promotion, the index of the suggestion whose configuration continues here.</param>
/// <param name="Priority">Scheduling priority within the experiment (higher first), e.g. promotions before new ones.</param>
public sealed record Suggestion(JsonObject Config, double Fidelity = 1, long? ParentIndex = null, int Priority = 0);
