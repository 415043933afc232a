using System.ComponentModel.DataAnnotations;

namespace AutoCompress.Methods.Distillation;

/// <summary>Settings of <see cref="DistillMethod"/>.</summary>
public sealed record DistillConfig
{
    /// <summary>Softmax temperature for both networks' soft targets (Hinton et al. use 2–20). T = 2 with
    /// alpha = 0.5 beat T = 4 with alpha = 0.9 on Fashion-MNIST's half-width student (README).</summary>
    [Range(1.0, 20.0)]
    [Display(Description = "Softmax temperature of the soft targets")]
    public double Temperature { get; init; } = 2;

    /// <summary>Weight of the soft (KL) term; the hard-label cross-entropy gets 1 − alpha.</summary>
    [Range(0.0, 1.0)]
    [Display(Description = "Weight of the temperature-scaled KL term; the hard-label loss gets 1 - alpha")]
    public double Alpha { get; init; } = 0.5;

    /// <summary>Training epochs; null takes the context's budget.</summary>
    [Range(0.01, 1000.0)]
    [Display(Description = "Training epochs (default: the context's budget)")]
    public double? Epochs { get; init; }

    /// <summary>Peak learning rate; null takes the context's budget.</summary>
    [Range(1e-6, 1.0)]
    [Display(Description = "Peak learning rate (default: the context's budget)")]
    public double? LearningRate { get; init; }

    /// <summary>Label smoothing of the hard-label term.</summary>
    [Range(0.0, 0.5)]
    [Display(Description = "Label smoothing of the hard-label cross-entropy")]
    public double LabelSmoothing { get; init; }
}
