namespace AutoCompress.Data;

/// <summary>
/// Per-channel normalization of pixels scaled to [0, 1]: <c>(pixel / 255 - Mean[c]) / Std[c]</c>.
/// </summary>
public sealed class Normalization
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Creates a normalization with one mean and one standard deviation per channel.</summary>
    /// <exception cref="ArgumentException">The lists are empty, differ in length, or contain a non-finite value or a std &lt;= 0.</exception>
    public Normalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Need the same non-zero number of means and stds, got {mean.Count} and {std.Count}.", nameof(std));
        }

        _mean = [.. mean];
        _std = [.. std];
        for (int c = 0; c < _mean.Length; c++)
        {
            if (!float.IsFinite(_mean[c]))
            {
                throw new ArgumentException($"Mean of channel {c} is {_mean[c]}; it must be finite.", nameof(mean));
            }

            if (!(float.IsFinite(_std[c]) && _std[c] > 0))
            {
                throw new ArgumentException($"Std of channel {c} is {_std[c]}; it must be finite and positive.", nameof(std));
            }
        }
    }

    /// <summary>Fashion-MNIST training-set statistics: mean 0.2860, std 0.3530.</summary>
    public static Normalization FashionMnist { get; } = new([0.2860f], [0.3530f]);

    /// <summary>CIFAR-10 training-set statistics: mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616).</summary>
    public static Normalization Cifar10 { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>Number of channels this normalization applies to.</summary>
    public int Channels => _mean.Length;

    /// <summary>Per-channel means of the [0, 1]-scaled pixels.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Per-channel standard deviations of the [0, 1]-scaled pixels.</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>The normalized value of a raw <paramref name="pixel"/> in <paramref name="channel"/>.</summary>
    public float Apply(byte pixel, int channel) => ((pixel / 255f) - _mean[channel]) / _std[channel];

    /// <summary>Throws unless this normalization has exactly <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentException">The channel counts differ.</exception>
    public void EnsureChannels(int channels)
    {
        if (channels != Channels)
        {
            throw new ArgumentException($"Normalization has {Channels} channel(s) but the dataset has {channels}.");
        }
    }

    /// <summary>
    /// One 256-entry byte-to-float table per channel; <paramref name="normalization"/> <c>null</c> means plain
    /// scaling to [0, 1] for every one of <paramref name="channels"/> channels.
    /// </summary>
    internal static float[][] LookupTables(Normalization? normalization, int channels)
    {
        normalization?.EnsureChannels(channels);
        var tables = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            tables[c] = new float[256];
            for (int p = 0; p < 256; p++)
            {
                tables[c][p] = normalization is null ? p / 255f : normalization.Apply((byte)p, c);
            }
        }

        return tables;
    }

    /// <inheritdoc/>
    public override string ToString() => $"mean ({string.Join(", ", _mean)}), std ({string.Join(", ", _std)})";
}
