namespace AutoCompress.Data;

/// <summary>
/// Random training-time augmentation applied by <see cref="BatchLoader"/> to raw pixels, before normalization.
/// A crop happens first, then the flip.
/// </summary>
public sealed record Augmentation
{
    private readonly int _cropPadding;

    /// <summary>No augmentation.</summary>
    public static Augmentation None { get; } = new();

    /// <summary>
    /// Padding for random cropping; 0 disables it. Otherwise each image is padded with raw pixel 0 by this
    /// many pixels on every side and a random crop of the original size is taken, i.e. the image is shifted by
    /// up to this many pixels in each direction and the uncovered border is filled with 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int CropPadding
    {
        get => _cropPadding;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(CropPadding));
            _cropPadding = value;
        }
    }

    /// <summary>Whether to mirror each image left-to-right with probability 0.5.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Whether any augmentation is enabled.</summary>
    public bool IsNone => CropPadding == 0 && !HorizontalFlip;
}
