using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>What became of a suggestion.</summary>
/// <param name="Index">Which suggestion (1-based, in the order the strategy returned them; see <see cref="SearchStrategy"/>).</param>
/// <param name="Config">The suggested configuration, as suggested.</param>
/// <param name="Fidelity">The fidelity it ran at.</param>
/// <param name="Metrics">Measured metrics when the trial completed; null when it failed.</param>
/// <param name="Error">Why the trial failed (after the orchestrator's retries), or null.</param>
public sealed record Observation(long Index, JsonObject Config, double Fidelity, IReadOnlyDictionary<string, double>? Metrics, string? Error = null)
{
    public bool Failed => Metrics is null;
}
