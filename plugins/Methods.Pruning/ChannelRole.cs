namespace AutoCompress.Methods.Pruning;

/// <summary>What channel pruning does to a layer's tensors.</summary>
public enum ChannelRole
{
    /// <summary>Has no channel-indexed tensors (activation, pool, flatten, add, ...): nothing to cut.</summary>
    PassThrough,

    /// <summary>A conv2d (groups = 1) or linear layer: it creates its group's channels (weight dim 0) and
    /// consumes its input's channels (weight dim 1).</summary>
    Producer,

    /// <summary>A grouped convolution that is not depthwise: its input and output channels are left alone.</summary>
    GroupedProducer,

    /// <summary>A depthwise convolution: its channels are its input's, cut on weight dim 0; its groups follow.</summary>
    Depthwise,

    /// <summary>Batch normalization: γ, β and the running statistics are cut with the channels.</summary>
    BatchNorm,
}
