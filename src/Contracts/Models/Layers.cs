using System.Text.Json.Serialization;

namespace AutoCompress.Contracts.Models;

/// <summary>
/// One node of a <see cref="ModelDescription"/>. In JSON the <c>op</c> property names the kind
/// (<c>conv2d</c>, <c>linear</c>, <c>batch_norm</c>, <c>activation</c>, <c>pool</c>,
/// <c>adaptive_avg_pool</c>, <c>add</c>, <c>concat</c>, <c>identity</c>, <c>zero</c>, <c>flatten</c>,
/// <c>dropout</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Conv2dLayer), "conv2d")]
[JsonDerivedType(typeof(LinearLayer), "linear")]
[JsonDerivedType(typeof(BatchNormLayer), "batch_norm")]
[JsonDerivedType(typeof(ActivationLayer), "activation")]
[JsonDerivedType(typeof(PoolLayer), "pool")]
[JsonDerivedType(typeof(AdaptiveAvgPoolLayer), "adaptive_avg_pool")]
[JsonDerivedType(typeof(AddLayer), "add")]
[JsonDerivedType(typeof(ConcatLayer), "concat")]
[JsonDerivedType(typeof(IdentityLayer), "identity")]
[JsonDerivedType(typeof(ZeroLayer), "zero")]
[JsonDerivedType(typeof(FlattenLayer), "flatten")]
[JsonDerivedType(typeof(DropoutLayer), "dropout")]
public abstract record Layer
{
    /// <summary>The names every op goes by in JSON.</summary>
    public static readonly IReadOnlyList<string> OpNames =
        ["conv2d", "linear", "batch_norm", "activation", "pool", "adaptive_avg_pool", "add", "concat", "identity", "zero", "flatten", "dropout"];

    /// <summary>Unique name; letters, digits, '_' and '-' only (it prefixes the layer's weight names).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// Ids of the layers feeding this one, or <see cref="ModelDescription.InputId"/> for the model input.
    /// Empty means "the previous layer" (the model input for the first layer), so chains stay short.
    /// </summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>What compression changed in this layer, for cost models and realisation.</summary>
    public Compression? Compression { get; init; }
}

/// <summary>2-D convolution; <c>Groups</c> = input channels = output channels is depthwise.</summary>
public sealed record Conv2dLayer : Layer
{
    public required int OutChannels { get; init; }
    public required int Kernel { get; init; }
    public int Stride { get; init; } = 1;
    /// <summary>Zero padding on each side; null means "same" for odd kernels: dilation × (kernel − 1) / 2.</summary>
    public int? Padding { get; init; }
    public int Dilation { get; init; } = 1;
    public int Groups { get; init; } = 1;
    public bool Bias { get; init; }

    [JsonIgnore] public int EffectivePadding => Padding ?? Dilation * (Kernel - 1) / 2;
}

/// <summary>Fully connected layer over a flat input.</summary>
public sealed record LinearLayer : Layer
{
    public required int OutFeatures { get; init; }
    public bool Bias { get; init; } = true;
}

/// <summary>Batch normalization over channels.</summary>
public sealed record BatchNormLayer : Layer
{
    public double Eps { get; init; } = 1e-5;
    public double Momentum { get; init; } = 0.1;
    public bool Affine { get; init; } = true;
}

/// <summary>Elementwise activation functions.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationFunction>))]
public enum ActivationFunction
{
    Relu,
    Relu6,
    Hardswish,
    Sigmoid,
    Tanh,
    Silu,
}

/// <summary>An elementwise activation.</summary>
public sealed record ActivationLayer : Layer
{
    public ActivationFunction Function { get; init; } = ActivationFunction.Relu;
}

/// <summary>Pooling kinds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PoolKind>))]
public enum PoolKind
{
    Max,
    Avg,
}

/// <summary>Max or average pooling over square windows.</summary>
public sealed record PoolLayer : Layer
{
    public PoolKind Kind { get; init; } = PoolKind.Max;
    public required int Kernel { get; init; }
    /// <summary>Defaults to the kernel size.</summary>
    public int? Stride { get; init; }
    public int Padding { get; init; }
    /// <summary>Average pooling: whether padded zeros count in the mean (NAS-Bench-201 uses false).</summary>
    public bool CountIncludePad { get; init; }

    [JsonIgnore] public int EffectiveStride => Stride ?? Kernel;
}

/// <summary>Average pooling to a fixed spatial size (1 = global average pooling).</summary>
public sealed record AdaptiveAvgPoolLayer : Layer
{
    public int OutputSize { get; init; } = 1;
}

/// <summary>Elementwise sum of two or more inputs of the same shape (residual connections, NAS cells).</summary>
public sealed record AddLayer : Layer;

/// <summary>Concatenation of feature maps along channels.</summary>
public sealed record ConcatLayer : Layer;

/// <summary>Passes its input through (a skip edge).</summary>
public sealed record IdentityLayer : Layer;

/// <summary>Outputs zeros of its input's shape (the "none" edge of a NAS cell).</summary>
public sealed record ZeroLayer : Layer;

/// <summary>Flattens a feature map to a vector.</summary>
public sealed record FlattenLayer : Layer;

/// <summary>Dropout (training only; identity at inference).</summary>
public sealed record DropoutLayer : Layer
{
    public double P { get; init; } = 0.5;
}
