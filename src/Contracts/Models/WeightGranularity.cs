using System.Text.Json.Serialization;

namespace AutoCompress.Contracts.Models;

/// <summary>
/// Which weights share one quantization scale (<see cref="Compression.WeightGranularity"/>). Finer
/// granularity tracks weights of very different magnitudes more closely (lower error) at the cost of
/// storing more scales. In JSON: <c>per_channel</c>, <c>per_tensor</c>, <c>group</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<WeightGranularity>))]
public enum WeightGranularity
{
    /// <summary>One scale per output channel (the default: the common choice for int8 convolutions).</summary>
    [JsonStringEnumMemberName("per_channel")]
    PerChannel = 0,

    /// <summary>One scale for the whole weight tensor.</summary>
    [JsonStringEnumMemberName("per_tensor")]
    PerTensor = 1,

    /// <summary>One scale per <see cref="Compression.WeightGroupSize"/> consecutive input weights of each output channel.</summary>
    [JsonStringEnumMemberName("group")]
    Group = 2,
}
