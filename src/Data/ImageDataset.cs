namespace AutoCompress.Data;

/// <summary>
/// An in-memory labelled image dataset: raw, unnormalized uint8 pixels in N*C*H*W layout plus one
/// byte label per image.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Creates a dataset, validating that the arrays agree with the shape.</summary>
    /// <param name="pixels">Pixels in N*C*H*W order, where N is <c>labels.Length</c>. Not copied.</param>
    /// <param name="labels">One class index per image, each below <paramref name="numClasses"/>. Not copied.</param>
    /// <param name="channels">Channels per image (1 for grayscale, 3 for RGB).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="numClasses">Number of classes, 1 to 256.</param>
    /// <param name="source">Human-readable description of where the data came from.</param>
    /// <exception cref="ArgumentException">The arrays do not match the shape, or a label is out of range.</exception>
    public ImageDataset(byte[] pixels, byte[] labels, int channels, int height, int width, int numClasses, string source)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (numClasses is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "The number of classes must be between 1 and 256 (labels are bytes).");
        }

        long expected = (long)labels.Length * channels * height * width;
        if (pixels.LongLength != expected)
        {
            throw new ArgumentException(
                $"Pixel array has {pixels.LongLength} bytes, expected {expected} for {labels.Length} images of {channels}x{height}x{width}.",
                nameof(pixels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= numClasses)
            {
                throw new ArgumentException($"Label at index {i} is {labels[i]}, but there are only {numClasses} classes.", nameof(labels));
            }
        }

        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        NumClasses = numClasses;
        Source = source;
    }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of classes; every label is below this.</summary>
    public int NumClasses { get; }

    /// <summary>Bytes per image: <see cref="Channels"/> * <see cref="Height"/> * <see cref="Width"/>.</summary>
    public int PixelsPerImage => Channels * Height * Width;

    /// <summary>Raw uint8 pixels in N*C*H*W layout. Shared, not copied: do not modify.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class label of each image. Shared, not copied: do not modify.</summary>
    public byte[] Labels { get; }

    /// <summary>Description of where the data came from (files or directory).</summary>
    public string Source { get; }

    /// <summary>The raw pixels of image <paramref name="index"/>, in C*H*W order.</summary>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Image index must be in [0, {Count}).");
        }

        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>A subset containing every image, in index order.</summary>
    public DataSubset All()
    {
        var indices = new int[Count];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        return new DataSubset(this, indices);
    }

    /// <summary>A subset view of the given image indices (copied; duplicates allowed).</summary>
    public DataSubset Subset(int[] indices) => new(this, indices);

    /// <inheritdoc/>
    public override string ToString() => $"{Count} x {Channels}x{Height}x{Width}, {NumClasses} classes ({Source})";
}
