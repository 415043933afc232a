using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

/// <summary>How a loss reduces over the batch. Values are libtorch's reduction codes.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
    /// <summary>Sum divided by the batch size (the proper KL divergence per sample).</summary>
    BatchMean = 3,
}

/// <summary>Stateless neural-network operations (the modules in <c>NN</c> hold the parameters).</summary>
public static class Functional
{
    private static Tensor Wrap(int rc, TensorHandle r) => Tensor.Wrap(rc, r);

    /// <summary>2-D convolution. <paramref name="groups"/> = input channels gives a depthwise convolution.</summary>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? dilation = null, long groups = 1)
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        long* sp = stackalloc long[] { s.H, s.W };
        long* pp = stackalloc long[] { p.H, p.W };
        long* dp = stackalloc long[] { d.H, d.W };
        return Wrap(NativeMethods.Conv2d(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, sp, pp, dp, groups, out var r), r);
    }

    /// <summary>y = x Wᵀ + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Wrap(NativeMethods.Linear(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, out var r), r);

    /// <summary>Batch normalization; in training mode it updates the running statistics in place.</summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null,
        Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Wrap(NativeMethods.BatchNorm(input.Handle, weight?.Handle ?? TensorHandle.Null, bias?.Handle ?? TensorHandle.Null,
            runningMean?.Handle ?? TensorHandle.Null, runningVar?.Handle ?? TensorHandle.Null, training, momentum, eps, out var r), r);

    private static unsafe Tensor Pool(Tensor input, int op, (long, long) k, (long, long)? stride, (long, long) padding,
        (long, long) dilation, bool ceilMode, bool countIncludePad)
    {
        var s = stride ?? k;
        long* kp = stackalloc long[] { k.Item1, k.Item2 };
        long* sp = stackalloc long[] { s.Item1, s.Item2 };
        long* pp = stackalloc long[] { padding.Item1, padding.Item2 };
        long* dp = stackalloc long[] { dilation.Item1, dilation.Item2 };
        return Wrap(NativeMethods.Pool2d(input.Handle, op, kp, sp, pp, dp, ceilMode, countIncludePad, out var r), r);
    }

    /// <summary>2-D max pooling; the stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor input, (long H, long W) kernel, (long H, long W)? stride = null,
        (long H, long W) padding = default, (long H, long W)? dilation = null, bool ceilMode = false) =>
        Pool(input, 0, kernel, stride, padding, dilation ?? (1, 1), ceilMode, false);

    /// <summary>2-D average pooling; the stride defaults to the kernel size.</summary>
    public static Tensor AvgPool2d(Tensor input, (long H, long W) kernel, (long H, long W)? stride = null,
        (long H, long W) padding = default, bool ceilMode = false, bool countIncludePad = true) =>
        Pool(input, 1, kernel, stride, padding, (1, 1), ceilMode, countIncludePad);

    /// <summary>Average pooling to a fixed output size (1×1 is global average pooling).</summary>
    public static unsafe Tensor AdaptiveAvgPool2d(Tensor input, (long H, long W) outputSize)
    {
        long* op = stackalloc long[] { outputSize.H, outputSize.W };
        return Wrap(NativeMethods.AdaptiveAvgPool2d(input.Handle, op, out var r), r);
    }

    /// <summary>Zeroes elements with probability <paramref name="p"/> and rescales the rest, in training only.</summary>
    public static Tensor Dropout(Tensor input, double p, bool training) =>
        Wrap(NativeMethods.Dropout(input.Handle, p, training, out var r), r);

    public static Tensor Relu(Tensor x) => x.Relu();
    public static Tensor Relu6(Tensor x) => x.Relu6();
    public static Tensor Hardswish(Tensor x) => x.Hardswish();
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();

    public static Tensor Softmax(Tensor x, long dim) => Wrap(NativeMethods.Softmax(x.Handle, dim, 0, out var r), r);
    public static Tensor LogSoftmax(Tensor x, long dim) => Wrap(NativeMethods.Softmax(x.Handle, dim, 1, out var r), r);

    /// <summary>Cross-entropy of logits against int64 class targets, with optional label smoothing.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    {
        if (reduction == Reduction.BatchMean) throw new ArgumentException("cross entropy takes None, Mean or Sum", nameof(reduction));
        return Wrap(NativeMethods.CrossEntropy(logits.Handle, target.Handle, labelSmoothing, (int)reduction, out var r), r);
    }

    /// <summary>KL(target ‖ input) where <paramref name="input"/> holds log-probabilities (PyTorch's convention).</summary>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.BatchMean, bool logTarget = false) =>
        Wrap(NativeMethods.KlDiv(input.Handle, target.Handle, (int)reduction, logTarget, out var r), r);

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        if (reduction == Reduction.BatchMean) throw new ArgumentException("MSE takes None, Mean or Sum", nameof(reduction));
        return Wrap(NativeMethods.MseLoss(input.Handle, target.Handle, (int)reduction, out var r), r);
    }

    /// <summary>Pads the last two dimensions with a constant (left, right, top, bottom).</summary>
    public static unsafe Tensor Pad2d(Tensor x, long left, long right, long top, long bottom, double value = 0)
    {
        long* p = stackalloc long[] { left, right, top, bottom };
        return Wrap(NativeMethods.Pad2d(x.Handle, p, value, out var r), r);
    }
}
