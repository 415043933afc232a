namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Which channels of each group survive pruning: the input of <see cref="ChannelSurgery"/>. Groups not
/// named keep every channel. Checked on construction: indices ascending and in range, at least one
/// channel kept, frozen groups untouched.
/// </summary>
public sealed class ChannelPlan
{
    private readonly Dictionary<int, int[]> kept;

    /// <param name="dependencies">The analysis the group ids refer to.</param>
    /// <param name="kept">Group id → the original indices of the channels to keep.</param>
    public ChannelPlan(ChannelDependencies dependencies, IReadOnlyDictionary<int, IReadOnlyList<int>> kept)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        ArgumentNullException.ThrowIfNull(kept);
        Dependencies = dependencies;
        this.kept = new Dictionary<int, int[]>();
        foreach (var (g, indices) in kept)
        {
            if (g < 0 || g >= dependencies.Groups.Count) throw new ArgumentException($"there is no channel group {g}");
            var group = dependencies.Groups[g];
            if (indices.Count == 0) throw new ArgumentException($"{group}: at least one channel must be kept");
            for (var i = 0; i < indices.Count; i++)
            {
                if (indices[i] < 0 || indices[i] >= group.Channels)
                    throw new ArgumentException($"{group}: kept channel {indices[i]} is outside 0..{group.Channels - 1}");
                if (i > 0 && indices[i] <= indices[i - 1]) throw new ArgumentException($"{group}: kept channels must be strictly ascending");
            }
            if (indices.Count == group.Channels) continue;
            if (!group.Prunable) throw new ArgumentException($"{group}: a frozen group cannot lose channels");
            this.kept[g] = indices.ToArray();
        }
    }

    public ChannelDependencies Dependencies { get; }

    /// <summary>A plan that removes nothing.</summary>
    public static ChannelPlan KeepAll(ChannelDependencies dependencies) => new(dependencies, new Dictionary<int, IReadOnlyList<int>>());

    /// <summary>
    /// Keeps, in each group, the <c>channels − remove[g]</c> channels of highest importance (ties keep the
    /// lower index). <paramref name="importance"/> maps group id → one score per channel.
    /// </summary>
    public static ChannelPlan FromImportance(ChannelDependencies dependencies, IReadOnlyDictionary<int, double[]> importance,
        IReadOnlyDictionary<int, int> remove)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        ArgumentNullException.ThrowIfNull(importance);
        ArgumentNullException.ThrowIfNull(remove);
        var kept = new Dictionary<int, IReadOnlyList<int>>();
        foreach (var (g, count) in remove)
        {
            if (count == 0) continue;
            var group = dependencies.Groups[g];
            if (!importance.TryGetValue(g, out var scores) || scores.Length != group.Channels)
                throw new ArgumentException($"{group}: no importance score per channel");
            kept[g] = LowestFirst(scores).Skip(count).Order().ToList();
        }
        return new ChannelPlan(dependencies, kept);
    }

    /// <summary>Keeps the first <c>counts[g]</c> channels of each group: enough to know the pruned shapes (and MACs).</summary>
    public static ChannelPlan FirstChannels(ChannelDependencies dependencies, IReadOnlyDictionary<int, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new ChannelPlan(dependencies, counts.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<int>)Enumerable.Range(0, kv.Value).ToList()));
    }

    /// <summary>Channel indices from least to most important; equal scores put the higher index first (it goes first).</summary>
    public static IEnumerable<int> LowestFirst(double[] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ThenByDescending(i => i);
    }

    /// <summary>Whether group <paramref name="group"/> loses channels.</summary>
    public bool IsCut(int group) => kept.ContainsKey(group);

    /// <summary>The kept original channel indices of <paramref name="group"/>.</summary>
    public IReadOnlyList<int> Kept(int group) =>
        kept.TryGetValue(group, out var k) ? k : Enumerable.Range(0, Dependencies.Groups[group].Channels).ToArray();

    public int KeptCount(int group) => kept.TryGetValue(group, out var k) ? k.Length : Dependencies.Groups[group].Channels;

    /// <summary>Channels removed over all groups (a group shared by a residual add counts once).</summary>
    public int RemovedChannels => kept.Sum(kv => Dependencies.Groups[kv.Key].Channels - kv.Value.Length);

    /// <summary>
    /// The original element indices that survive in a tensor dimension with layout <paramref name="layout"/>,
    /// ascending; null when nothing in it is cut.
    /// </summary>
    public long[]? KeptIndices(IReadOnlyList<ChannelSegment> layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!layout.Any(s => IsCut(s.Group))) return null;
        var result = new List<long>();
        long offset = 0;
        foreach (var s in layout)
        {
            foreach (var k in Kept(s.Group))
                for (var u = 0; u < s.Unit; u++) result.Add(offset + (long)k * s.Unit + u);
            offset += s.Width;
        }
        return result.ToArray();
    }

    /// <summary>Width of a dimension with layout <paramref name="layout"/> after pruning.</summary>
    public int KeptWidth(IReadOnlyList<ChannelSegment> layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.Sum(s => KeptCount(s.Group) * s.Unit);
    }
}
