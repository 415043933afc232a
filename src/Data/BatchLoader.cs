using System.Runtime.CompilerServices;

namespace AutoCompress.Data;

/// <summary>
/// Turns a <see cref="DataSubset"/> into batches of normalized float images. Deterministic: the order and
/// the augmentation of an epoch depend only on <see cref="BatchLoaderOptions.Seed"/> and the epoch number.
/// </summary>
public sealed class BatchLoader
{
    private const ulong OrderStream = 0x0D0E_0001UL;
    private const ulong AugmentStream = 0x0A06_0002UL;

    private readonly float[][] _tables;

    /// <summary>Creates a loader over <paramref name="subset"/>.</summary>
    /// <exception cref="ArgumentException">The normalization's channel count differs from the dataset's.</exception>
    public BatchLoader(DataSubset subset, BatchLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(subset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Augmentation, nameof(options));
        _tables = Normalization.LookupTables(options.Normalization, subset.Dataset.Channels);
        Subset = subset;
        Options = options;
    }

    /// <summary>The images this loader serves.</summary>
    public DataSubset Subset { get; }

    /// <summary>The loader settings.</summary>
    public BatchLoaderOptions Options { get; }

    /// <summary>Number of batches each epoch yields.</summary>
    public int BatchesPerEpoch => Options.DropLast
        ? Subset.Count / Options.BatchSize
        : (int)(((long)Subset.Count + Options.BatchSize - 1) / Options.BatchSize);

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>. With <see cref="BatchLoaderOptions.Shuffle"/> the order is a
    /// permutation seeded by (Seed, epoch), otherwise subset order. Each enumeration allocates its own buffers and
    /// reuses them: a yielded <see cref="Batch"/> is only valid until the enumerator advances. Full batches share
    /// one buffer; a smaller final batch has its own, exactly sized arrays.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        ImageDataset data = Subset.Dataset;
        int count = Subset.Count;
        int batchSize = Options.BatchSize;
        int batches = BatchesPerEpoch;

        var order = Subset.IndexSpan.ToArray();
        ulong epochSeed = SeededRandom.Mix(unchecked((uint)Options.Seed), unchecked((uint)epoch));
        if (Options.Shuffle)
        {
            new SeededRandom(SeededRandom.Mix(epochSeed, OrderStream)).Shuffle(order);
        }

        var augmentRandom = new SeededRandom(SeededRandom.Mix(epochSeed, AugmentStream));
        Batch? full = null;
        for (int b = 0; b < batches; b++)
        {
            int start = b * batchSize;
            int size = Math.Min(batchSize, count - start);
            Batch batch = size == batchSize
                ? full ??= new Batch(batchSize, data.Channels, data.Height, data.Width)
                : new Batch(size, data.Channels, data.Height, data.Width);
            for (int i = 0; i < size; i++)
            {
                int index = order[start + i];
                batch.Indices[i] = index;
                batch.Labels[i] = data.Labels[index];
                Fill(data, index, batch.Images.AsSpan(i * data.PixelsPerImage, data.PixelsPerImage), augmentRandom);
            }

            yield return batch;
        }
    }

    /// <summary>Writes the normalized (and possibly augmented) image <paramref name="index"/> into <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code so the first epoch is fast too
    private void Fill(ImageDataset data, int index, Span<float> destination, SeededRandom random)
    {
        int plane = data.Height * data.Width;
        ReadOnlySpan<byte> source = data.GetImage(index);
        Augmentation augmentation = Options.Augmentation;
        if (augmentation.IsNone)
        {
            for (int c = 0; c < data.Channels; c++)
            {
                ReadOnlySpan<float> table = _tables[c];
                ReadOnlySpan<byte> src = source.Slice(c * plane, plane);
                Span<float> dst = destination.Slice(c * plane, plane);
                for (int i = 0; i < src.Length; i++)
                {
                    dst[i] = table[src[i]];
                }
            }

            return;
        }

        // Output pixel (y, x) comes from source (y + dy, x' + dx) where x' is x or its mirror; outside is raw 0.
        int pad = augmentation.CropPadding;
        int dy = pad == 0 ? 0 : random.NextInt((2 * pad) + 1) - pad;
        int dx = pad == 0 ? 0 : random.NextInt((2 * pad) + 1) - pad;
        bool flip = augmentation.HorizontalFlip && random.NextBool();
        int height = data.Height, width = data.Width;
        for (int c = 0; c < data.Channels; c++)
        {
            ReadOnlySpan<float> table = _tables[c];
            float zero = table[0];
            ReadOnlySpan<byte> src = source.Slice(c * plane, plane);
            Span<float> dst = destination.Slice(c * plane, plane);
            for (int y = 0; y < height; y++)
            {
                Span<float> row = dst.Slice(y * width, width);
                int sy = y + dy;
                if ((uint)sy >= (uint)height)
                {
                    row.Fill(zero);
                    continue;
                }

                ReadOnlySpan<byte> srcRow = src.Slice(sy * width, width);
                for (int x = 0; x < width; x++)
                {
                    int sx = (flip ? width - 1 - x : x) + dx;
                    row[x] = (uint)sx < (uint)width ? table[srcRow[sx]] : zero;
                }
            }
        }
    }
}
