using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "ac_autograd_set_requires_grad")]
    internal static partial int SetRequiresGrad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_backward")]
    internal static partial int Backward(TensorHandle t, TensorHandle grad, [MarshalAs(UnmanagedType.U1)] bool retainGraph);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_grad")]
    internal static partial int Grad(TensorHandle t, out TensorHandle grad);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_zero_grad")]
    internal static partial int ZeroGrad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool setToNone);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_detach")]
    internal static partial int Detach(TensorHandle t, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_alias")]
    internal static partial int Alias(TensorHandle t, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_set_grad_enabled")]
    internal static partial int SetGradEnabled([MarshalAs(UnmanagedType.U1)] bool enabled,
        [MarshalAs(UnmanagedType.U1)] out bool previous);

    [LibraryImport(Lib, EntryPoint = "ac_autograd_is_grad_enabled")]
    internal static partial int IsGradEnabled([MarshalAs(UnmanagedType.U1)] out bool enabled);
}
