namespace AutoCompress.Search.Agents;

/// <summary>What the agent chooses per layer.</summary>
public enum CompressionAction
{
    /// <summary>A channel pruning ratio (AMC): the fraction of the layer's output channels removed.</summary>
    Prune,

    /// <summary>A weight bit width (HAQ).</summary>
    Bits,
}
