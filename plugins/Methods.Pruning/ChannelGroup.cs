namespace AutoCompress.Methods.Pruning;

/// <summary>
/// A set of channels that must be removed together: the output channels of one or more producers
/// (several when a residual add ties their widths) and everything those channels flow through. Channel
/// k of the group is one unit of pruning: removing it cuts row k (at each slice's offset) from every
/// <see cref="Slices"/> layer and the matching input columns from every <see cref="Consumers"/> layer.
/// </summary>
public sealed class ChannelGroup
{
    internal ChannelGroup(int id, int channels, IReadOnlyList<string> producers, IReadOnlyList<GroupSlice> slices,
        IReadOnlyList<string> consumers, string? frozenReason)
    {
        Id = id;
        Channels = channels;
        Producers = producers;
        Slices = slices;
        Consumers = consumers;
        FrozenReason = frozenReason;
    }

    public int Id { get; }

    /// <summary>Channels before pruning.</summary>
    public int Channels { get; }

    /// <summary>The conv2d/linear layers whose output channels are this group's (ranked by their summed importance).</summary>
    public IReadOnlyList<string> Producers { get; }

    /// <summary>Every layer cut along dimension 0 with this group: producers, batch norms, depthwise convolutions.</summary>
    public IReadOnlyList<GroupSlice> Slices { get; }

    /// <summary>Layers whose input columns (weight dimension 1) are cut with this group.</summary>
    public IReadOnlyList<string> Consumers { get; }

    /// <summary>Why the group may not be pruned (model input or output, grouped convolution, ...); null when it may.</summary>
    public string? FrozenReason { get; }

    public bool Prunable => FrozenReason is null;

    public override string ToString() =>
        $"group {Id}: {Channels} channels from {string.Join(", ", Producers)}{(Prunable ? "" : $" (frozen: {FrozenReason})")}";
}
