using System.Text.Json.Serialization;

namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// Settings of <see cref="AsynchronousSuccessiveHalving"/> (Li et al. 2020): rungs at <see cref="MinResource"/>·eta^k
/// capped at <see cref="MaxResource"/>, the top 1/<see cref="Eta"/> of a rung is promotable, and optionally at most
/// <see cref="MaxConfigurations"/> configurations are ever started (without it ASHA never finishes on its own: the
/// caller stops it by time or trial count). Part of the persisted state, so plain data.
/// </summary>
public sealed record AshaOptions
{
    /// <summary>Smaller or larger objective is better.</summary>
    public required OptimizationDirection Direction { get; init; }

    /// <summary>r: the resource of rung 0 (e.g. epochs; fractions allowed).</summary>
    public required double MinResource { get; init; }

    /// <summary>R: the resource of the top rung.</summary>
    public required double MaxResource { get; init; }

    /// <summary>The reduction factor: the top 1/eta of a rung is promotable; resources grow by eta per rung.</summary>
    public double Eta { get; init; } = 3;

    /// <summary>The budget: how many new configurations may be started at most; null for no limit.</summary>
    public int? MaxConfigurations { get; init; }

    /// <summary>The rung resources these settings give (throws like <see cref="Validate"/>).</summary>
    [JsonIgnore]
    public IReadOnlyList<double> Resources => RungLadder.Resources(MinResource, MaxResource, Eta, nameof(AshaOptions));

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RungLadder.Check(Enum.IsDefined(Direction), nameof(AshaOptions), nameof(Direction), Direction, "must be Minimize or Maximize");
        RungLadder.Check(MaxConfigurations is null or >= 1, nameof(AshaOptions), nameof(MaxConfigurations), MaxConfigurations!, "the configuration budget must be at least 1 (or null for no limit)");
        _ = Resources;
    }
}
