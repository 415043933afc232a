using AutoCompress.Torch;
using AutoCompress.Torch.NN;

namespace AutoCompress.Training;

/// <summary>
/// The reference CNN for 28×28 grey images (Fashion-MNIST): three conv-BN-ReLU-maxpool stages
/// (32, 64, 128 channels) and a two-layer classifier. It is the network every compression
/// method starts from and the one the engine benchmark times against PyTorch.
/// </summary>
public sealed class ReferenceCnn : Module
{
    public ReferenceCnn(int inChannels = 1, int numClasses = 10, int width = 32, int hidden = 128, double dropout = 0.2)
    {
        Features = RegisterModule("features", new Sequential(
            new Conv2d(inChannels, width, 3, padding: 1, bias: false), new BatchNorm2d(width), Activation.ReLU(), Pool2d.Max(2),
            new Conv2d(width, 2 * width, 3, padding: 1, bias: false), new BatchNorm2d(2 * width), Activation.ReLU(), Pool2d.Max(2),
            new Conv2d(2 * width, 4 * width, 3, padding: 1, bias: false), new BatchNorm2d(4 * width), Activation.ReLU(), Pool2d.Max(2)));
        Classifier = RegisterModule("classifier", new Sequential(
            new Flatten(), new Linear(4 * width * 3 * 3, hidden), Activation.ReLU(), new Dropout(dropout), new Linear(hidden, numClasses)));
    }

    public Sequential Features { get; }
    public Sequential Classifier { get; }

    public override Tensor Forward(Tensor input) => Classifier.Forward(Features.Forward(input));
}
