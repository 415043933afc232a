using AutoCompress.Contracts.Methods;
using AutoCompress.Data;

namespace AutoCompress.Training;

/// <summary>The splits of a dataset named by a <see cref="DatasetSpec"/>.</summary>
public sealed record DatasetSplits(DataSubset Train, DataSubset Validation, DataSubset Test, Normalization Normalization, int Channels, int Size);

/// <summary>Loads the dataset a method context names.</summary>
public static class DatasetLoader
{
    public static DatasetSplits Load(DatasetSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (train, test, norm) = spec.Name switch
        {
            "fashion-mnist" => (FashionMnist.Load(spec.Directory, true), FashionMnist.Load(spec.Directory, false), Normalization.FashionMnist),
            "cifar10" => (Cifar10.Load(spec.Directory ?? throw new ArgumentException("cifar10 needs a directory"), true),
                          Cifar10.Load(spec.Directory, false), Normalization.Cifar10),
            _ => throw new ArgumentException($"unknown dataset '{spec.Name}'; known: fashion-mnist, cifar10"),
        };
        var all = spec.TrainLimit > 0 ? train.Subset(Enumerable.Range(0, Math.Min(spec.TrainLimit, train.Count)).ToArray()) : train.All();
        var (t, v) = all.SplitValidation(spec.ValidationFraction, seed);
        return new DatasetSplits(t, v, test.All(), norm, train.Channels, train.Height);
    }
}
