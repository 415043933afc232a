using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

public sealed partial class Tensor
{
    /// <summary>Whether operations on this tensor are recorded for gradients.</summary>
    public bool RequiresGrad
    {
        get
        {
            NativeMethods.Check(NativeMethods.Info(Handle, out _, out _, out var rg, out _));
            return rg;
        }
        set => NativeMethods.Check(NativeMethods.SetRequiresGrad(Handle, value));
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor.</summary>
    public Tensor RequiresGradInPlace(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>Back-propagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        NativeMethods.Check(NativeMethods.Backward(Handle, gradient?.Handle ?? TensorHandle.Null, retainGraph));

    /// <summary>
    /// The accumulated gradient as a new tensor handle sharing the gradient's memory (null when none).
    /// Each read is a new handle owned by the current scope.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            NativeMethods.Check(NativeMethods.Grad(Handle, out var g));
            if (g.IsInvalid)
            {
                g.Dispose();
                return null;
            }
            return new Tensor(g);
        }
    }

    /// <summary>Clears the gradient: drops it (default) or zeroes it in place.</summary>
    public void ZeroGrad(bool setToNone = true) => NativeMethods.Check(NativeMethods.ZeroGrad(Handle, setToNone));

    /// <summary>A new handle to this very tensor (same memory, same autograd history), disposable on its own.</summary>
    public Tensor Alias() => Wrap(NativeMethods.Alias(Handle, out var r), r);

    /// <summary>The same data cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(NativeMethods.Detach(Handle, out var r), r);
}
