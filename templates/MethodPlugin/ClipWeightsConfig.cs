using System.ComponentModel.DataAnnotations;

namespace MyMethod;

/// <summary>
/// The method's configuration. Properties are its parameters (snake_case in JSON); the attributes
/// give their ranges, allowed values and descriptions, which the host validates and a UI or a search
/// space enumerates. Defaults are the property initialisers.
/// </summary>
public sealed record ClipWeightsConfig
{
    [Range(0.5, 10.0)]
    [Display(Description = "Clip each conv/linear weight to +-k standard deviations of its layer")]
    public double K { get; init; } = 3;
}
