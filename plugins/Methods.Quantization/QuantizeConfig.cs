using System.ComponentModel.DataAnnotations;
using AutoCompress.Contracts.Models;
using AutoCompress.Training.Quantization;

namespace AutoCompress.Methods.Quantization;

/// <summary>Post-training quantization, or quantization-aware training after it.</summary>
public enum QuantizeMode
{
    /// <summary>Quantize the trained weights and calibrate activation ranges on a few batches; no training.</summary>
    Ptq,

    /// <summary>As <see cref="Ptq"/>, then train with fake quantization in the loop, so the weights adapt to the grid.</summary>
    Qat,
}

/// <summary>Settings of <see cref="QuantizeMethod"/>.</summary>
public sealed record QuantizeConfig
{
    /// <summary>Float activations: <see cref="ActivationBits"/> = 32 leaves every activation unquantized.</summary>
    public const int FloatBits = 32;

    [Display(Description = "ptq: quantize and calibrate only; qat: then train with fake quantization")]
    public QuantizeMode Mode { get; init; } = QuantizeMode.Ptq;

    [Range(2, 8)]
    [Display(Description = "Bits of every conv/linear weight (symmetric signed), unless layer_bits says otherwise")]
    public int WeightBits { get; init; } = 8;

    [Range(2, 32)]
    [Display(Description = "Bits of the outputs of activation layers (asymmetric unsigned); 2..8, or 32 to keep them float")]
    public int ActivationBits { get; init; } = 8;

    /// <summary>Mixed precision: weight bits (2..8) of particular conv/linear layers, by layer id.</summary>
    [Display(Description = "Weight bits (2..8) of particular conv/linear layers by layer id, overriding weight_bits")]
    public IReadOnlyDictionary<string, int> LayerBits { get; init; } = new Dictionary<string, int>();

    [Display(Description = "Weights sharing one scale: per_channel, per_tensor, or group (group_size consecutive input weights)")]
    public WeightGranularity Granularity { get; init; } = WeightGranularity.PerChannel;

    [Range(1, 65536)]
    [Display(Description = "Weights per scale with granularity group")]
    public int GroupSize { get; init; } = 64;

    [Display(Description = "Activation range calibration: min_max, or percentile (clips rare outliers)")]
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.MinMax;

    [Range(90.0, 100.0)]
    [Display(Description = "p of percentile calibration: the range spans the (100-p)-th to the p-th percentile")]
    public double Percentile { get; init; } = 99.99;

    [Range(1, 10000)]
    [Display(Description = "Training batches run to calibrate activation ranges")]
    public int CalibrationBatches { get; init; } = 8;

    [Range(0.01, 1000.0)]
    [Display(Description = "Quantization-aware training epochs (qat only; default: the context's budget)")]
    public double? QatEpochs { get; init; }
}
