using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "ac_optim_sgd_new")]
    internal static unsafe partial int SgdNew(IntPtr* parameters, int n, double lr, double momentum, double dampening,
        double weightDecay, [MarshalAs(UnmanagedType.U1)] bool nesterov, out OptimizerHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_optim_adam_new")]
    internal static unsafe partial int AdamNew(IntPtr* parameters, int n, double lr, double beta1, double beta2,
        double eps, double weightDecay, [MarshalAs(UnmanagedType.U1)] bool amsgrad,
        [MarshalAs(UnmanagedType.U1)] bool decoupled, out OptimizerHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_optim_free")]
    internal static partial int OptimizerFree(IntPtr o);

    [LibraryImport(Lib, EntryPoint = "ac_optim_step")]
    internal static partial int OptimizerStep(OptimizerHandle o);

    [LibraryImport(Lib, EntryPoint = "ac_optim_zero_grad")]
    internal static partial int OptimizerZeroGrad(OptimizerHandle o, [MarshalAs(UnmanagedType.U1)] bool setToNone);

    [LibraryImport(Lib, EntryPoint = "ac_optim_set_lr")]
    internal static partial int OptimizerSetLr(OptimizerHandle o, double lr);

    [LibraryImport(Lib, EntryPoint = "ac_optim_get_lr")]
    internal static partial int OptimizerGetLr(OptimizerHandle o, out double lr);

    [LibraryImport(Lib, EntryPoint = "ac_optim_save")]
    internal static partial int OptimizerSave(OptimizerHandle o, out IntPtr data, out long size);

    [LibraryImport(Lib, EntryPoint = "ac_optim_load")]
    internal static unsafe partial int OptimizerLoad(OptimizerHandle o, byte* data, long size);
}
