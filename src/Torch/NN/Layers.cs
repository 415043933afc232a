namespace AutoCompress.Torch.NN;

/// <summary>2-D convolution (grouped and depthwise included).</summary>
public sealed class Conv2d : Module
{
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || groups <= 0 || padding < 0)
            throw new ArgumentException($"invalid Conv2d({inChannels}, {outChannels}, k={kernelSize}, s={stride}, p={padding}, d={dilation}, g={groups})");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: groups={groups} must divide in={inChannels} and out={outChannels}");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) =
            (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize, kernelSize]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outChannels])) : null;
        Init.DefaultLayer(Weight, Bias, inChannels / groups * kernelSize * kernelSize);
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Forward(input, Weight);

    /// <summary>
    /// The convolution with <paramref name="weight"/> in place of the module's own (of the same shape),
    /// e.g. a fake-quantized copy of it; costs are recorded as for the module.
    /// </summary>
    public Tensor Forward(Tensor input, Tensor weight)
    {
        var y = Functional.Conv2d(input, weight, Bias, (Stride, Stride), (Padding, Padding), (Dilation, Dilation), Groups);
        if (CostTrace.Current is { } trace)
        {
            var s = y.Shape; // [N, C, H, W]
            trace.Record(this, s[1] * s[2] * s[3] * (InChannels / Groups) * KernelSize * KernelSize);
        }
        return y;
    }
}

/// <summary>Fully connected layer y = x Wᵀ + b.</summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentException($"invalid Linear({inFeatures}, {outFeatures})");
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outFeatures])) : null;
        Init.DefaultLayer(Weight, Bias, inFeatures);
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Forward(input, Weight);

    /// <summary>The layer with <paramref name="weight"/> in place of the module's own (e.g. a fake-quantized copy).</summary>
    public Tensor Forward(Tensor input, Tensor weight)
    {
        CostTrace.Current?.Record(this, InFeatures * OutFeatures);
        return Functional.Linear(input, weight, Bias);
    }
}

/// <summary>Batch normalization over channels of an NCHW tensor, with running statistics.</summary>
public sealed class BatchNorm2d : Module
{
    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    {
        if (features <= 0) throw new ArgumentException($"invalid BatchNorm2d({features})");
        (Features, Eps, Momentum) = (features, eps, momentum);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([features]));
            Bias = RegisterParameter("bias", Tensor.Zeros([features]));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([features]));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
    }

    public long Features { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }

    public override Tensor Forward(Tensor input)
    {
        if (Training)
        {
            using var noGrad = TorchEngine.NoGrad();
            NumBatchesTracked.AddInPlace(1);
        }
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }
}

/// <summary>An elementwise activation.</summary>
public sealed class Activation : Module
{
    private readonly Func<Tensor, Tensor> fn;

    private Activation(string kind, Func<Tensor, Tensor> fn) => (Kind, this.fn) = (kind, fn);

    /// <summary>"relu", "relu6", "hardswish", "sigmoid", "tanh", "silu" or "identity".</summary>
    public string Kind { get; }

    public static Activation ReLU() => new("relu", x => x.Relu());
    public static Activation ReLU6() => new("relu6", x => x.Relu6());
    public static Activation Hardswish() => new("hardswish", x => x.Hardswish());
    public static Activation Sigmoid() => new("sigmoid", x => x.Sigmoid());
    public static Activation Tanh() => new("tanh", x => x.Tanh());
    public static Activation SiLU() => new("silu", x => x.Silu());

    public override Tensor Forward(Tensor input) => fn(input);
}

/// <summary>Max or average pooling over square windows.</summary>
public sealed class Pool2d : Module
{
    public Pool2d(bool max, long kernelSize, long? stride = null, long padding = 0, bool countIncludePad = false)
    {
        (IsMax, KernelSize, Stride, Padding, CountIncludePad) = (max, kernelSize, stride ?? kernelSize, padding, countIncludePad);
    }

    /// <summary>Average pooling: whether padded zeros count in the mean.</summary>
    public bool CountIncludePad { get; }

    public bool IsMax { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }

    public static Pool2d Max(long kernelSize, long? stride = null, long padding = 0) => new(true, kernelSize, stride, padding);
    public static Pool2d Avg(long kernelSize, long? stride = null, long padding = 0, bool countIncludePad = false) =>
        new(false, kernelSize, stride, padding, countIncludePad);

    public override Tensor Forward(Tensor input) => IsMax
        ? Functional.MaxPool2d(input, (KernelSize, KernelSize), (Stride, Stride), (Padding, Padding))
        : Functional.AvgPool2d(input, (KernelSize, KernelSize), (Stride, Stride), (Padding, Padding), countIncludePad: CountIncludePad);
}

/// <summary>Average pooling to a fixed output size (1 = global average pooling).</summary>
public sealed class AdaptiveAvgPool2d(long outputSize = 1) : Module
{
    public long OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, (OutputSize, OutputSize));
}

/// <summary>Dropout, active only in training mode.</summary>
public sealed class Dropout(double p = 0.5) : Module
{
    public double P { get; } = p is >= 0 and < 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);
}

/// <summary>Flattens every dimension after the batch dimension.</summary>
public sealed class Flatten : Module
{
    public override Tensor Forward(Tensor input) => input.Flatten(1);
}

/// <summary>Children applied in order; they are named "0", "1", ...</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> layers = new();

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) Append(m);
    }

    public Sequential Append(Module module)
    {
        layers.Add(RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
        return this;
    }

    public IReadOnlyList<Module> Layers => layers;

    /// <summary>Intermediate results are left to the current <see cref="DisposeScope"/>.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x);
        return x;
    }
}
