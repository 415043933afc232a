namespace AutoCompress.Data;

/// <summary>
/// One batch produced by <see cref="BatchLoader"/>: normalized float images in N*C*H*W layout and int64 labels.
/// The loader reuses the arrays: a batch is only valid until its enumerator advances; copy what you need to keep.
/// </summary>
public sealed class Batch
{
    internal Batch(int size, int channels, int height, int width)
    {
        Size = size;
        Channels = channels;
        Height = height;
        Width = width;
        Images = new float[(long)size * channels * height * width];
        Labels = new long[size];
        Indices = new int[size];
    }

    /// <summary>Number of images in the batch; the array lengths match it exactly.</summary>
    public int Size { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Normalized pixels, length <see cref="Size"/> * C * H * W, in N*C*H*W layout.</summary>
    public float[] Images { get; }

    /// <summary>Class labels, length <see cref="Size"/>.</summary>
    public long[] Labels { get; }

    /// <summary>Index in the dataset of each image in the batch, length <see cref="Size"/>.</summary>
    public int[] Indices { get; }
}
