using AutoCompress.Data;
using AutoCompress.Torch;

namespace AutoCompress.Training;

/// <summary>Turns managed data batches into tensors (created in the current dispose scope).</summary>
public static class BatchTensors
{
    /// <summary>Images as float32 [N, C, H, W] and labels as int64 [N].</summary>
    public static (Tensor Images, Tensor Labels) ToTensors(this Batch batch) =>
        (Tensor.FromArray<float>(batch.Images.AsSpan(0, batch.Size * batch.Channels * batch.Height * batch.Width),
                [batch.Size, batch.Channels, batch.Height, batch.Width]),
         Tensor.FromArray<long>(batch.Labels.AsSpan(0, batch.Size), [batch.Size]));
}
