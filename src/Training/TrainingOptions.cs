namespace AutoCompress.Training;

/// <summary>Which libtorch optimizer trains the network.</summary>
public enum OptimizerKind
{
    AdamW,
    Adam,
    SgdNesterov,
}

/// <summary>How a network is trained. Defaults are the reference recipe for Fashion-MNIST.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 128;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    public double LearningRate { get; init; } = 3e-3;
    public double WeightDecay { get; init; } = 5e-4;
    public double Momentum { get; init; } = 0.9;
    /// <summary>Share of all steps spent on linear warm-up before cosine decay to zero.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    public double LabelSmoothing { get; init; } = 0.1;
    public int Seed { get; init; }
    /// <summary>Training-time augmentation (random crop with padding, horizontal flip); none by default.</summary>
    public AutoCompress.Data.Augmentation Augmentation { get; init; } = AutoCompress.Data.Augmentation.None;
    /// <summary>libtorch intra-op threads; 0 keeps the current setting.</summary>
    public int Threads { get; init; }
    /// <summary>Evaluate on the validation split after every epoch (when one is given).</summary>
    public bool EvaluateEachEpoch { get; init; } = true;

    /// <summary>Throws with a message naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be >= 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be >= 1, got {BatchSize}");
        if (!(LearningRate > 0)) throw new ArgumentException($"LearningRate must be > 0, got {LearningRate}");
        if (WeightDecay < 0) throw new ArgumentException($"WeightDecay must be >= 0, got {WeightDecay}");
        if (WarmupFraction is < 0 or >= 1) throw new ArgumentException($"WarmupFraction must be in [0, 1), got {WarmupFraction}");
        if (LabelSmoothing is < 0 or >= 1) throw new ArgumentException($"LabelSmoothing must be in [0, 1), got {LabelSmoothing}");
        if (Threads < 0) throw new ArgumentException($"Threads must be >= 0, got {Threads}");
    }
}
