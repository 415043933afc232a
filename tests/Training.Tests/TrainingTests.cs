using AutoCompress.Data;
using AutoCompress.Torch;
using AutoCompress.Torch.NN;
using AutoCompress.Torch.Serialization;

namespace AutoCompress.Training.Tests;

public sealed class TrainingTests
{
    private static readonly Lazy<ImageDataset> TrainSet = new(() => FashionMnist.Load(null, train: true));
    private static readonly Lazy<ImageDataset> TestSet = new(() => FashionMnist.Load(null, train: false));

    private static DataSubset First(ImageDataset d, int n) => d.Subset(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void The_reference_cnn_has_the_hand_computed_macs_and_parameters()
    {
        using var model = new ReferenceCnn();
        // conv 1->32 @28x28, conv 32->64 @14x14, conv 64->128 @7x7 (3x3 kernels), fc 1152->128, fc 128->10.
        long macs = 28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 7 * 7 * 128 * 64 * 9 + 1152 * 128 + 128 * 10;
        Assert.Equal(macs, CostTrace.Measure(model, 1, 28, 28).TotalMacs);
        long parameters = 32 * 9 + 2 * 32 + 64 * 32 * 9 + 2 * 64 + 128 * 64 * 9 + 2 * 128 + 1152 * 128 + 128 + 128 * 10 + 10;
        Assert.Equal(parameters, model.ParameterCount());
    }

    [Fact]
    public void Training_leaves_no_tensor_alive_and_the_peak_stays_bounded()
    {
        var baseline = TorchEngine.LiveTensors;
        var model = new ReferenceCnn();
        var owned = model.StateDict().Count();
        Assert.Equal(baseline + owned, TorchEngine.LiveTensors);
        TorchEngine.ResetPeakTensors();

        Trainer.Train(model, First(TrainSet.Value, 640), First(TestSet.Value, 256), Normalization.FashionMnist,
            new TrainingOptions { Epochs = 2, BatchSize = 64, Threads = 2 });

        // Only the model's parameters and buffers outlive the run...
        Assert.Equal(baseline + owned, TorchEngine.LiveTensors);
        // ...and per-step tensors are freed as it goes: 20 steps must not pile up thousands of handles.
        Assert.InRange(TorchEngine.PeakTensors - baseline - owned, 1, 400);
        model.Dispose();
        Assert.Equal(baseline, TorchEngine.LiveTensors);
    }

    [Fact]
    public void The_same_seed_trains_to_the_same_weights()
    {
        float[] Run(int seed)
        {
            TorchEngine.ManualSeed((ulong)seed); // initialization draws from the global generator
            using var model = new ReferenceCnn();
            Trainer.Train(model, First(TrainSet.Value, 256), null, Normalization.FashionMnist,
                new TrainingOptions { Epochs = 1, BatchSize = 64, Seed = seed, Threads = 2 });
            return model.Classifier.NamedParameters().First().Tensor.ToArray<float>();
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void A_short_real_training_run_learns_fashion_mnist()
    {
        using var model = new ReferenceCnn();
        var result = Trainer.Train(model, First(TrainSet.Value, 4000), First(TestSet.Value, 2000), Normalization.FashionMnist,
            new TrainingOptions { Epochs = 1, Threads = 2 });
        Assert.InRange(result.EpochValidation[^1]!.Accuracy, 0.70, 1.0);
        // The trained weights survive a save/load round trip bit for bit.
        var path = Path.Combine(Path.GetTempPath(), $"ac-ref-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(path, model.StateDict());
            using var copy = new ReferenceCnn();
            using var scope = TorchEngine.NewDisposeScope();
            copy.LoadStateDict(SafeTensors.Load(path));
            var again = Trainer.Evaluate(copy, First(TestSet.Value, 2000), Normalization.FashionMnist);
            Assert.Equal(result.EpochValidation[^1]!.Accuracy, again.Accuracy);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_training_options_name_the_setting()
    {
        Assert.Contains("Epochs", Assert.Throws<ArgumentException>(() => new TrainingOptions { Epochs = 0 }.Validate()).Message);
        Assert.Contains("LearningRate", Assert.Throws<ArgumentException>(() => new TrainingOptions { LearningRate = -1 }.Validate()).Message);
        Assert.Contains("WarmupFraction", Assert.Throws<ArgumentException>(() => new TrainingOptions { WarmupFraction = 1 }.Validate()).Message);
    }
}
