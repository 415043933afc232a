using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "ac_nn_conv2d")]
    internal static unsafe partial int Conv2d(TensorHandle x, TensorHandle w, TensorHandle b,
        long* stride, long* padding, long* dilation, long groups, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_linear")]
    internal static partial int Linear(TensorHandle x, TensorHandle w, TensorHandle b, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_batch_norm")]
    internal static partial int BatchNorm(TensorHandle x, TensorHandle w, TensorHandle b, TensorHandle runningMean,
        TensorHandle runningVar, [MarshalAs(UnmanagedType.U1)] bool training, double momentum, double eps,
        out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_pool2d")]
    internal static unsafe partial int Pool2d(TensorHandle x, int op, long* kernel, long* stride, long* padding,
        long* dilation, [MarshalAs(UnmanagedType.U1)] bool ceilMode,
        [MarshalAs(UnmanagedType.U1)] bool countIncludePad, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_adaptive_avg_pool2d")]
    internal static unsafe partial int AdaptiveAvgPool2d(TensorHandle x, long* outputSize, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_dropout")]
    internal static partial int Dropout(TensorHandle x, double p, [MarshalAs(UnmanagedType.U1)] bool train,
        out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_softmax")]
    internal static partial int Softmax(TensorHandle x, long dim, int op, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_cross_entropy")]
    internal static partial int CrossEntropy(TensorHandle logits, TensorHandle target, double labelSmoothing,
        int reduction, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_kl_div")]
    internal static partial int KlDiv(TensorHandle input, TensorHandle target, int reduction,
        [MarshalAs(UnmanagedType.U1)] bool logTarget, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_mse_loss")]
    internal static partial int MseLoss(TensorHandle a, TensorHandle b, int reduction, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_nn_pad2d")]
    internal static unsafe partial int Pad2d(TensorHandle x, long* pad4, double value, out TensorHandle result);
}
