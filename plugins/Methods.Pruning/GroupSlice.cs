namespace AutoCompress.Methods.Pruning;

/// <summary>
/// Where a channel group sits in a layer whose tensors are cut along dimension 0 (a producer's
/// filters, a batch norm's parameters, a depthwise convolution's filters): channel k of the group is
/// row <see cref="Offset"/> + k.
/// </summary>
public sealed record GroupSlice(string LayerId, ChannelRole Role, int Offset);
