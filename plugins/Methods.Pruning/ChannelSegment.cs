namespace AutoCompress.Methods.Pruning;

/// <summary>
/// A run of one channel group inside a tensor's channel dimension (or, after a flatten, its feature
/// dimension): channel k of group <see cref="Group"/> occupies the <see cref="Unit"/> consecutive
/// elements starting at the segment's offset + k × <see cref="Unit"/>. A tensor's layout is the list
/// of its segments in order; concatenation makes several, a flatten multiplies the unit by H×W.
/// </summary>
public readonly record struct ChannelSegment(int Group, int Channels, int Unit)
{
    /// <summary>Elements the segment spans.</summary>
    public int Width => Channels * Unit;
}
