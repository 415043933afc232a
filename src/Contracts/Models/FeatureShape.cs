namespace AutoCompress.Contracts.Models;

/// <summary>The shape of one sample's activations: a feature map (C×H×W) or a flat vector of C features.</summary>
public readonly record struct FeatureShape(int Channels, int Height, int Width, bool Flat)
{
    public static FeatureShape Map(int channels, int height, int width) => new(channels, height, width, false);

    public static FeatureShape Vector(int features) => new(features, 1, 1, true);

    /// <summary>Number of values per sample.</summary>
    public long Elements => (long)Channels * Height * Width;

    /// <summary>The shape without the batch dimension, as the engine wants it.</summary>
    public long[] ToArray() => Flat ? [Channels] : [Channels, Height, Width];

    public override string ToString() => Flat ? $"[{Channels}]" : $"[{Channels}x{Height}x{Width}]";
}
