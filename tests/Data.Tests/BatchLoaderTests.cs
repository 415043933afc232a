namespace AutoCompress.Data.Tests;

public sealed class BatchLoaderTests
{
    private static readonly bool[] FlipChoices = [false, true];

    private sealed record Copy(int Size, float[] Images, long[] Labels, int[] Indices);

    private static List<Copy> Collect(BatchLoader loader, int epoch) =>
        [.. loader.Epoch(epoch).Select(b => new Copy(b.Size, (float[])b.Images.Clone(), (long[])b.Labels.Clone(), (int[])b.Indices.Clone()))];

    private static BatchLoader Loader(DataSubset subset, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false,
        Normalization? normalization = null, Augmentation? augmentation = null) =>
        new(subset, new BatchLoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = shuffle,
            Seed = seed,
            DropLast = dropLast,
            Normalization = normalization,
            Augmentation = augmentation ?? Augmentation.None,
        });

    /// <summary>A dataset of <paramref name="copies"/> identical single-channel images.</summary>
    private static ImageDataset Copies(byte[] image, int height, int width, int copies)
    {
        var pixels = new byte[image.Length * copies];
        for (int i = 0; i < copies; i++)
        {
            image.CopyTo(pixels, i * image.Length);
        }

        return new ImageDataset(pixels, new byte[copies], 1, height, width, 10, "copies");
    }

    /// <summary>The raw image shifted so output (y, x) = input (y + dy, x' + dx), x' = x or mirrored, 0 outside.</summary>
    private static byte[] Shifted(byte[] image, int height, int width, int dy, int dx, bool flip)
    {
        var result = new byte[image.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int sy = y + dy, sx = (flip ? width - 1 - x : x) + dx;
                result[(y * width) + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? image[(sy * width) + sx] : (byte)0;
            }
        }

        return result;
    }

    /// <summary>Image <paramref name="i"/> of a batch normalized with <c>null</c> (p / 255), back as raw bytes.</summary>
    private static byte[] Raw(float[] images, int i, int length) =>
        [.. images.Skip(i * length).Take(length).Select(v => (byte)Math.Round(v * 255))];

    [Fact]
    public void WithoutShuffleBatchesFollowSubsetOrderAndTheTailIsExactlySized()
    {
        ImageDataset data = DataSubsetTests.Dataset(10);
        BatchLoader loader = Loader(data.All(), batchSize: 4);

        List<Copy> batches = Collect(loader, 0);

        Assert.Equal(3, loader.BatchesPerEpoch);
        Assert.Equal([4, 4, 2], batches.Select(b => b.Size));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b.Indices));
        Assert.Equal(data.Labels.Select(l => (long)l), batches.SelectMany(b => b.Labels));
        Assert.Equal(2 * 4, batches[2].Images.Length);
        Assert.Equal(2, batches[2].Labels.Length);
        Assert.Equal(data.Pixels.Select(p => p / 255f), batches.SelectMany(b => b.Images));
        Assert.Equal([5, 2, 7], Collect(Loader(data.Subset([5, 2, 7]), 8), 0).Single().Indices);
    }

    [Fact]
    public void DropLastSkipsTheIncompleteBatch()
    {
        BatchLoader loader = Loader(DataSubsetTests.Dataset(10).All(), batchSize: 4, shuffle: true, dropLast: true);

        List<Copy> batches = Collect(loader, 3);

        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Equal([4, 4], batches.Select(b => b.Size));
        Assert.Equal(8, batches.SelectMany(b => b.Indices).Distinct().Count());
        Assert.Empty(Loader(DataSubsetTests.Dataset(3).All(), batchSize: 4, dropLast: true).Epoch(0));
    }

    [Fact]
    public void FullBatchesReuseOneBufferAndTheTailHasItsOwn()
    {
        var batches = new List<Batch>();
        foreach (Batch batch in Loader(DataSubsetTests.Dataset(10).All(), batchSize: 4).Epoch(0))
        {
            batches.Add(batch);
        }

        Assert.Same(batches[0], batches[1]);
        Assert.NotSame(batches[1], batches[2]);
        Assert.Equal(2, batches[2].Size);
    }

    [Fact]
    public void ShuffleIsDeterministicPerSeedAndEpoch()
    {
        DataSubset all = DataSubsetTests.Dataset(100, channels: 1, height: 4, width: 4).All();
        var augmentation = new Augmentation { CropPadding = 1, HorizontalFlip = true };
        BatchLoader loader = Loader(all, 16, shuffle: true, seed: 42, augmentation: augmentation);
        BatchLoader sameSeed = Loader(all, 16, shuffle: true, seed: 42, augmentation: augmentation);
        BatchLoader otherSeed = Loader(all, 16, shuffle: true, seed: 43, augmentation: augmentation);

        List<Copy> first = Collect(loader, 1);
        List<Copy> again = Collect(sameSeed, 1);

        Assert.Equal(first.Count, again.Count);
        for (int b = 0; b < first.Count; b++)
        {
            Assert.Equal(first[b].Indices, again[b].Indices);
            Assert.Equal(first[b].Labels, again[b].Labels);
            Assert.Equal(first[b].Images, again[b].Images); // augmentation included
        }

        int[] order = [.. first.SelectMany(b => b.Indices)];
        int[] nextEpoch = [.. Collect(loader, 2).SelectMany(b => b.Indices)];
        int[] otherOrder = [.. Collect(otherSeed, 1).SelectMany(b => b.Indices)];
        Assert.Equal(Enumerable.Range(0, 100), order.Order());
        Assert.Equal(Enumerable.Range(0, 100), nextEpoch.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), order);
        Assert.NotEqual(order, nextEpoch);
        Assert.NotEqual(order, otherOrder);
    }

    [Fact]
    public void AugmentationDoesNotChangeTheOrder()
    {
        DataSubset all = DataSubsetTests.Dataset(50).All();

        int[] plain = [.. Collect(Loader(all, 8, shuffle: true, seed: 5), 0).SelectMany(b => b.Indices)];
        int[] augmented = [.. Collect(Loader(all, 8, shuffle: true, seed: 5, augmentation: new Augmentation { HorizontalFlip = true }), 0).SelectMany(b => b.Indices)];

        Assert.Equal(plain, augmented);
    }

    [Fact]
    public void FashionMnistNormalizationOfKnownPixels()
    {
        var data = new ImageDataset([0, 128, 255, 51], [1], 1, 2, 2, 10, "known");

        float[] images = Collect(Loader(data.All(), 1, normalization: Normalization.FashionMnist), 0).Single().Images;

        Assert.Equal(-0.2860f / 0.3530f, images[0], 1e-5f);
        Assert.Equal(((128f / 255f) - 0.2860f) / 0.3530f, images[1], 1e-5f);
        Assert.Equal((1f - 0.2860f) / 0.3530f, images[2], 1e-5f);
        Assert.Equal((0.2f - 0.2860f) / 0.3530f, images[3], 1e-5f);
        Assert.Equal(images[1], Normalization.FashionMnist.Apply(128, 0));
    }

    [Fact]
    public void Cifar10NormalizationIsPerChannel()
    {
        // One 3x1x1 image: R = 255, G = 0, B = 102.
        var data = new ImageDataset([255, 0, 102], [0], 3, 1, 1, 10, "rgb");

        float[] images = Collect(Loader(data.All(), 1, normalization: Normalization.Cifar10), 0).Single().Images;

        Assert.Equal((1f - 0.4914f) / 0.2470f, images[0], 1e-5f);
        Assert.Equal(-0.4822f / 0.2435f, images[1], 1e-5f);
        Assert.Equal((0.4f - 0.4465f) / 0.2616f, images[2], 1e-5f);
    }

    [Fact]
    public void NormalizationMustMatchTheChannelCount()
    {
        var rgb = new ImageDataset(new byte[3], [0], 3, 1, 1, 10, "rgb");

        var ex = Assert.Throws<ArgumentException>(() => Loader(rgb.All(), 1, normalization: Normalization.FashionMnist));

        Assert.Contains("1 channel(s) but the dataset has 3", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Normalization([0.5f], [0f]));
        Assert.Throws<ArgumentException>(() => new Normalization([0.5f, 0.5f], [1f]));
    }

    [Fact]
    public void HorizontalFlipReversesEachRowAboutHalfTheTime()
    {
        byte[] image = [1, 2, 3, 4, 5, 6]; // 2 rows x 3 columns
        byte[] flipped = [3, 2, 1, 6, 5, 4];
        ImageDataset data = Copies(image, 2, 3, 200);

        Copy batch = Collect(Loader(data.All(), 200, seed: 9, augmentation: new Augmentation { HorizontalFlip = true }), 0).Single();

        int flips = 0;
        for (int i = 0; i < 200; i++)
        {
            byte[] raw = Raw(batch.Images, i, 6);
            Assert.True(raw.SequenceEqual(image) || raw.SequenceEqual(flipped), $"image {i} is neither the original nor its mirror");
            flips += raw.SequenceEqual(flipped) ? 1 : 0;
        }

        Assert.InRange(flips, 70, 130);
    }

    [Fact]
    public void CropPaddingGivesShiftedCopiesWithZeroBorders()
    {
        byte[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // 3x3
        ImageDataset data = Copies(image, 3, 3, 300);

        Copy batch = Collect(Loader(data.All(), 300, seed: 3, augmentation: new Augmentation { CropPadding = 1 }), 0).Single();

        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 300; i++)
        {
            byte[] raw = Raw(batch.Images, i, 9);
            var matches = (from dy in Enumerable.Range(-1, 3)
                           from dx in Enumerable.Range(-1, 3)
                           where Shifted(image, 3, 3, dy, dx, flip: false).SequenceEqual(raw)
                           select (dy, dx)).ToList();
            Assert.Single(matches);
            seen.Add(matches[0]);
        }

        Assert.Equal(9, seen.Count); // every shift in [-1, 1] x [-1, 1] occurs
        Assert.Equal([0, 0, 0, 0, 1, 2, 0, 4, 5], Shifted(image, 3, 3, -1, -1, flip: false)); // sanity of the helper
    }

    [Fact]
    public void CropAndFlipTogetherGiveMirroredShiftedCopies()
    {
        byte[] image = [.. Enumerable.Range(1, 16).Select(v => (byte)v)]; // 4x4
        ImageDataset data = Copies(image, 4, 4, 400);

        Copy batch = Collect(Loader(data.All(), 400, seed: 11, augmentation: new Augmentation { CropPadding = 2, HorizontalFlip = true }), 0).Single();

        var seen = new HashSet<(int, int, bool)>();
        for (int i = 0; i < 400; i++)
        {
            byte[] raw = Raw(batch.Images, i, 16);
            var match = (from dy in Enumerable.Range(-2, 5)
                         from dx in Enumerable.Range(-2, 5)
                         from flip in FlipChoices
                         where Shifted(image, 4, 4, dy, dx, flip).SequenceEqual(raw)
                         select (dy, dx, flip)).First();
            seen.Add(match);
        }

        Assert.Equal(50, seen.Count);
    }

    [Fact]
    public void PaddingIsRawZeroBeforeNormalization()
    {
        var data = Copies([200], 1, 1, 100);

        Copy batch = Collect(Loader(data.All(), 100, seed: 1, normalization: Normalization.FashionMnist, augmentation: new Augmentation { CropPadding = 1 }), 0).Single();

        float zero = Normalization.FashionMnist.Apply(0, 0), kept = Normalization.FashionMnist.Apply(200, 0);
        Assert.All(batch.Images, v => Assert.True(v == zero || v == kept, $"unexpected value {v}"));
        Assert.Contains(zero, batch.Images);
        Assert.Contains(kept, batch.Images);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoaderOptions { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation { CropPadding = -1 });
        Assert.True(Augmentation.None.IsNone);
    }
}
