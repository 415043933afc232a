using System.Runtime.InteropServices;
using AutoCompress.Torch.Native;

namespace AutoCompress.Torch.Optim;

/// <summary>A libtorch optimizer over a fixed list of parameters (the parameters stay owned by their module).</summary>
public abstract class Optimizer : IDisposable
{
    private readonly OptimizerHandle handle;

    private protected Optimizer(OptimizerHandle handle) => this.handle = handle;

    private protected static unsafe OptimizerHandle Create(IEnumerable<Tensor> parameters,
        Func<IntPtr[], OptimizerHandle> make)
    {
        var list = parameters.ToList();
        if (list.Count == 0) throw new ArgumentException("the optimizer got no parameters (all frozen?)", nameof(parameters));
        var ptrs = new IntPtr[list.Count];
        var added = new bool[list.Count];
        try
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i].Handle.DangerousAddRef(ref added[i]);
                ptrs[i] = list[i].Handle.DangerousGetHandle();
            }
            return make(ptrs);
        }
        finally
        {
            for (var i = 0; i < list.Count; i++)
                if (added[i]) list[i].Handle.DangerousRelease();
        }
    }

    /// <summary>Applies one update from the parameters' current gradients.</summary>
    public void Step() => NativeMethods.Check(NativeMethods.OptimizerStep(handle));

    /// <summary>Drops (or zeroes) every parameter's gradient.</summary>
    public void ZeroGrad(bool setToNone = true) => NativeMethods.Check(NativeMethods.OptimizerZeroGrad(handle, setToNone));

    /// <summary>The learning rate of every parameter group.</summary>
    public double LearningRate
    {
        get
        {
            NativeMethods.Check(NativeMethods.OptimizerGetLr(handle, out var lr));
            return lr;
        }
        set => NativeMethods.Check(NativeMethods.OptimizerSetLr(handle, value));
    }

    /// <summary>The optimizer's state (momentum buffers, moments, step counts) as bytes, for checkpoints.</summary>
    public byte[] SaveState()
    {
        NativeMethods.Check(NativeMethods.OptimizerSave(handle, out var data, out var size));
        var bytes = new byte[size];
        Marshal.Copy(data, bytes, 0, checked((int)size));
        return bytes;
    }

    /// <summary>Restores state written by <see cref="SaveState"/> for the same parameter list.</summary>
    public unsafe void LoadState(ReadOnlySpan<byte> state)
    {
        fixed (byte* p = state) NativeMethods.Check(NativeMethods.OptimizerLoad(handle, p, state.Length));
    }

    public void Dispose()
    {
        handle.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Stochastic gradient descent with momentum, Nesterov momentum and weight decay (libtorch's SGD).</summary>
public sealed class Sgd : Optimizer
{
    public unsafe Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double weightDecay = 0,
        bool nesterov = false, double dampening = 0)
        : base(Create(parameters, ptrs =>
        {
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening");
            OptimizerHandle h;
            fixed (IntPtr* p = ptrs)
                NativeMethods.Check(NativeMethods.SgdNew(p, ptrs.Length, lr, momentum, dampening, weightDecay, nesterov, out h));
            return h;
        }))
    {
    }
}

/// <summary>Adam (L2 weight decay in the gradient) or AdamW (decoupled weight decay), libtorch's own.</summary>
public sealed class Adam : Optimizer
{
    public unsafe Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false, bool amsgrad = false)
        : base(Create(parameters, ptrs =>
        {
            OptimizerHandle h;
            fixed (IntPtr* p = ptrs)
                NativeMethods.Check(NativeMethods.AdamNew(p, ptrs.Length, lr, beta1, beta2, eps, weightDecay, amsgrad,
                    decoupledWeightDecay, out h));
            return h;
        }))
    {
    }

    /// <summary>AdamW: Adam with decoupled weight decay (default 0.01, as in PyTorch).</summary>
    public static Adam W(IEnumerable<Tensor> parameters, double lr = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) =>
        new(parameters, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true);
}
