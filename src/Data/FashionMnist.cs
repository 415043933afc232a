namespace AutoCompress.Data;

/// <summary>
/// Fashion-MNIST (Zalando): 28x28 grayscale images of 10 clothing classes, 60000 for training and
/// 10000 for testing, stored as four IDX files (optionally gzip-compressed).
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Training images file name (without <c>.gz</c>).</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>Training labels file name (without <c>.gz</c>).</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>Test images file name (without <c>.gz</c>).</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>Test labels file name (without <c>.gz</c>).</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Whether all four files are present in <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>).</summary>
    public static bool IsAvailable(string? directory = null)
    {
        string dir = directory ?? DefaultDirectory;
        return Find(dir, TrainImagesFile) is not null && Find(dir, TrainLabelsFile) is not null
            && Find(dir, TestImagesFile) is not null && Find(dir, TestLabelsFile) is not null;
    }

    /// <summary>Loads the training (60000 images) or test (10000 images) split.</summary>
    /// <param name="directory">Directory holding the IDX files; <c>null</c> means <see cref="DefaultDirectory"/>.</param>
    /// <param name="train"><c>true</c> for the training split, <c>false</c> for the test split.</param>
    /// <exception cref="FileNotFoundException">The files are missing; the message says how to install them.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static ImageDataset Load(string? directory, bool train)
    {
        string dir = directory ?? DefaultDirectory;
        string imagesName = train ? TrainImagesFile : TestImagesFile;
        string labelsName = train ? TrainLabelsFile : TestLabelsFile;
        string? images = Find(dir, imagesName);
        string? labels = Find(dir, labelsName);
        if (images is null || labels is null)
        {
            string missing = string.Join(" and ", new[] { images is null ? imagesName : null, labels is null ? labelsName : null }.OfType<string>());
            string where = Directory.Exists(dir) ? $"in {dir}" : $"because the directory {dir} does not exist";
            throw new FileNotFoundException(
                $"Fashion-MNIST {(train ? "training" : "test")} data not found {where}: expected {imagesName}[.gz] and {labelsName}[.gz] " +
                $"(missing: {missing}). `apt-get install dataset-fashion-mnist` provides them in {DefaultDirectory}.",
                Path.Combine(dir, images is null ? imagesName : labelsName));
        }

        ImageDataset loaded = Idx.Load(images, labels, numClasses: ClassNames.Count);
        return new ImageDataset(
            loaded.Pixels, loaded.Labels, loaded.Channels, loaded.Height, loaded.Width, loaded.NumClasses,
            $"Fashion-MNIST {(train ? "train" : "test")} ({dir})");
    }

    /// <summary>The path of <paramref name="name"/> or <paramref name="name"/>.gz in <paramref name="dir"/>, if either exists.</summary>
    private static string? Find(string dir, string name)
    {
        string raw = Path.Combine(dir, name);
        if (File.Exists(raw))
        {
            return raw;
        }

        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }
}
