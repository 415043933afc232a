using System.Runtime.InteropServices;
using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

/// <summary>
/// A libtorch tensor. Its native memory is freed when it is disposed, directly or by the
/// <see cref="DisposeScope"/> that was current when it was created.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    internal Tensor(TensorHandle handle)
    {
        if (handle.IsInvalid) throw new TorchException("the native shim returned no tensor");
        this.handle = handle;
        DisposeScope.Current?.Add(this);
    }

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    internal DisposeScope? Scope { get; set; }

    /// <summary>True once the native tensor has been freed.</summary>
    public bool IsDisposed => handle.IsClosed;

    /// <summary>Frees the native tensor now. Safe to call more than once.</summary>
    public void Dispose() => handle.Dispose();

    /// <summary>Removes this tensor from its scope: the caller owns it and disposes it.</summary>
    public Tensor DetachFromScope() => DisposeScope.Detach(this);

    /// <summary>Hands this tensor to the scope enclosing its current one.</summary>
    public Tensor MoveToOuterScope() => Scope is { } s ? s.MoveToOuter(this) : this;

    internal static Tensor Wrap(int rc, TensorHandle result)
    {
        NativeMethods.Check(rc);
        return new Tensor(result);
    }

    // ---------- metadata ----------

    /// <summary>Number of dimensions.</summary>
    public int Dim
    {
        get
        {
            NativeMethods.Check(NativeMethods.Info(Handle, out var ndim, out _, out _, out _));
            return ndim;
        }
    }

    /// <summary>Element type.</summary>
    public DType DType
    {
        get
        {
            NativeMethods.Check(NativeMethods.Info(Handle, out _, out var dt, out _, out _));
            return (DType)dt;
        }
    }

    /// <summary>Whether this is a leaf of the autograd graph (created by the user, not by an op).</summary>
    public bool IsLeaf
    {
        get
        {
            NativeMethods.Check(NativeMethods.Info(Handle, out _, out _, out _, out var leaf));
            return leaf;
        }
    }

    /// <summary>Sizes of every dimension.</summary>
    public unsafe long[] Shape
    {
        get
        {
            var n = Dim;
            var shape = new long[n];
            fixed (long* p = shape) NativeMethods.Check(NativeMethods.Shape(Handle, p, n));
            return shape;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var s = Shape;
        return s[dim < 0 ? dim + s.Length : dim];
    }

    /// <summary>Total number of elements.</summary>
    public long NumEl
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        NativeMethods.Check(NativeMethods.Item(Handle, out var v));
        return v;
    }

    /// <summary>The value of a one-element integer tensor, without going through double.</summary>
    public long ItemLong()
    {
        NativeMethods.Check(NativeMethods.ItemLong(Handle, out var v));
        return v;
    }

    /// <summary>Copies the elements, row-major, into a new managed array. <typeparamref name="T"/> must match the dtype.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[NumEl];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements, row-major, into <paramref name="destination"/>, which must be exactly as long.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var expected = DTypeExtensions.Of<T>();
        if (expected != DType)
            throw new ArgumentException($"tensor dtype is {DType} but the destination holds {typeof(T).Name} ({expected})");
        fixed (T* p = destination)
            NativeMethods.Check(NativeMethods.CopyTo(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>libtorch's printed form of the tensor.</summary>
    public override string ToString()
    {
        if (IsDisposed) return "Tensor(disposed)";
        NativeMethods.Check(NativeMethods.ToText(Handle, out var p));
        return Marshal.PtrToStringUTF8(p) ?? "";
    }
}
