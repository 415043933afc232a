using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

/// <summary>Owns one native tensor handle (an <c>at::Tensor*</c> on the shim's heap).</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>A handle standing for "no tensor" (an absent bias, for example). Never released.</summary>
    internal static readonly TensorHandle Null = new();

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.TensorFree(handle) == 0;
}

/// <summary>Owns one native libtorch optimizer.</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    public OptimizerHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.OptimizerFree(handle) == 0;
}
