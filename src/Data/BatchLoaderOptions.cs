namespace AutoCompress.Data;

/// <summary>Settings of a <see cref="BatchLoader"/>.</summary>
public sealed record BatchLoaderOptions
{
    private readonly int _batchSize = 1;

    /// <summary>Images per batch (the final batch of an epoch may be smaller unless <see cref="DropLast"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public required int BatchSize
    {
        get => _batchSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(BatchSize));
            _batchSize = value;
        }
    }

    /// <summary>Whether each epoch visits the images in a seeded random order instead of subset order.</summary>
    public bool Shuffle { get; init; }

    /// <summary>Seed for the shuffle and the augmentation; combined with the epoch number.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to skip a final batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Per-channel normalization; <c>null</c> only scales pixels to [0, 1].</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>Random augmentation; <see cref="Augmentation.None"/> by default.</summary>
    public Augmentation Augmentation { get; init; } = Augmentation.None;
}
