using System.Text.Json.Serialization;

namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// Settings of <see cref="SuccessiveHalving"/> (Jamieson &amp; Talwalkar 2016): <see cref="Configurations"/>
/// configurations start at <see cref="MinResource"/>; each rung keeps the best 1/<see cref="Eta"/> for eta times the
/// resource, up to <see cref="MaxResource"/>. Part of the persisted state, so plain data.
/// </summary>
public sealed record SuccessiveHalvingOptions
{
    /// <summary>Smaller or larger objective is better.</summary>
    public required OptimizationDirection Direction { get; init; }

    /// <summary>n: how many configurations start at rung 0.</summary>
    public required int Configurations { get; init; }

    /// <summary>r: the resource of rung 0 (e.g. epochs; fractions allowed).</summary>
    public required double MinResource { get; init; }

    /// <summary>R: the resource of the top rung.</summary>
    public required double MaxResource { get; init; }

    /// <summary>The reduction factor: each rung keeps the top 1/eta and multiplies the resource by eta.</summary>
    public double Eta { get; init; } = 3;

    /// <summary>The rung resources these settings give (throws like <see cref="Validate"/>).</summary>
    [JsonIgnore]
    public IReadOnlyList<double> Resources => RungLadder.Resources(MinResource, MaxResource, Eta, nameof(SuccessiveHalvingOptions));

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RungLadder.Check(Enum.IsDefined(Direction), nameof(SuccessiveHalvingOptions), nameof(Direction), Direction, "must be Minimize or Maximize");
        RungLadder.Check(Configurations >= 1, nameof(SuccessiveHalvingOptions), nameof(Configurations), Configurations, "the number of configurations n must be at least 1");
        _ = Resources;
    }
}
