namespace AutoCompress.Data;

/// <summary>
/// An index-based view of an <see cref="ImageDataset"/>: the images at <see cref="Indices"/>, in that order.
/// No pixels are copied.
/// </summary>
public sealed class DataSubset
{
    private readonly int[] _indices;

    /// <summary>Creates a view of <paramref name="dataset"/> holding a copy of <paramref name="indices"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    public DataSubset(ImageDataset dataset, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), indices[i], $"Subset entry {i} refers to image {indices[i]}, but the dataset has {dataset.Count} images.");
            }
        }

        Dataset = dataset;
        _indices = (int[])indices.Clone();
    }

    /// <summary>The underlying dataset.</summary>
    public ImageDataset Dataset { get; }

    /// <summary>The dataset indices in this subset, in order.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Number of images in the subset.</summary>
    public int Count => _indices.Length;

    /// <summary>Direct span over the indices, for the batch loader's hot loop.</summary>
    internal ReadOnlySpan<int> IndexSpan => _indices;

    /// <summary>
    /// Splits this subset into disjoint training and validation parts that together cover it. The
    /// assignment comes from a shuffle seeded by <paramref name="seed"/>, so the same seed always gives
    /// the same split; each part keeps the original subset order.
    /// </summary>
    /// <param name="fraction">Share of images to put into validation, strictly between 0 and 1 (rounded to a whole count).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1) or leaves either part empty.</exception>
    public (DataSubset Train, DataSubset Validation) SplitValidation(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Validation fraction must be strictly between 0 and 1, got {fraction}.");
        }

        int validationCount = (int)Math.Round(fraction * Count, MidpointRounding.AwayFromZero);
        if (validationCount < 1 || validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(fraction),
                fraction,
                $"Validation fraction {fraction} of {Count} images gives {validationCount} validation and {Count - validationCount} training images; both parts must be non-empty.");
        }

        // Shuffle positions, then mark the first validationCount of them as validation.
        var positions = new int[Count];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }

        new SeededRandom(SeededRandom.Mix(unchecked((uint)seed), 0x5EED_5B17UL)).Shuffle(positions);
        var isValidation = new bool[Count];
        for (int i = 0; i < validationCount; i++)
        {
            isValidation[positions[i]] = true;
        }

        var train = new int[Count - validationCount];
        var validation = new int[validationCount];
        int t = 0, v = 0;
        for (int i = 0; i < Count; i++)
        {
            if (isValidation[i])
            {
                validation[v++] = _indices[i];
            }
            else
            {
                train[t++] = _indices[i];
            }
        }

        return (new DataSubset(Dataset, train), new DataSubset(Dataset, validation));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Count} of {Dataset.Count} images ({Dataset.Source})";
}
