using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

public sealed partial class Tensor
{
    private unsafe Tensor ShapeOp(int op, ReadOnlySpan<long> dims)
    {
        fixed (long* p = dims)
            return Wrap(NativeMethods.ShapeOp(Handle, op, p, dims.Length, out var r), r);
    }

    /// <summary>Same data with a new shape (copies only when it must). One dimension may be -1.</summary>
    public Tensor Reshape(params long[] shape) => ShapeOp(0, shape);

    /// <summary>Same memory with a new shape; fails when the layout does not allow it.</summary>
    public Tensor View(params long[] shape) => ShapeOp(1, shape);

    /// <summary>Dimensions reordered.</summary>
    public Tensor Permute(params long[] dims) => ShapeOp(2, dims);

    /// <summary>Broadcast to a larger shape without copying (-1 keeps a size).</summary>
    public Tensor Expand(params long[] shape) => ShapeOp(3, shape);

    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.Transpose(Handle, dim0, dim1, out var r), r);

    public Tensor Flatten(long startDim = 0, long endDim = -1) => Wrap(NativeMethods.Flatten(Handle, startDim, endDim, out var r), r);

    public Tensor Squeeze(long dim) => Wrap(NativeMethods.Squeeze(Handle, 0, dim, out var r), r);

    public Tensor Squeeze() => Wrap(NativeMethods.Squeeze(Handle, 2, 0, out var r), r);

    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.Squeeze(Handle, 1, dim, out var r), r);

    public Tensor Contiguous() => Wrap(NativeMethods.Contiguous(Handle, out var r), r);

    private static unsafe Tensor Join(IReadOnlyList<Tensor> tensors, long dim, int op)
    {
        if (tensors.Count == 0) throw new ArgumentException("at least one tensor is needed", nameof(tensors));
        var ptrs = new IntPtr[tensors.Count];
        // Hold a reference on every handle so none is freed while the native call reads it.
        var added = new bool[tensors.Count];
        try
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                tensors[i].Handle.DangerousAddRef(ref added[i]);
                ptrs[i] = tensors[i].Handle.DangerousGetHandle();
            }
            fixed (IntPtr* p = ptrs)
                return Wrap(NativeMethods.Join(p, ptrs.Length, dim, op, out var r), r);
        }
        finally
        {
            for (var i = 0; i < tensors.Count; i++)
                if (added[i]) tensors[i].Handle.DangerousRelease();
        }
    }

    /// <summary>Concatenates along an existing dimension.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, 0);

    /// <summary>Stacks along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, 1);

    // ---------- indexing and slicing (results share memory where libtorch's do) ----------

    /// <summary>Elements start..end-1 (step apart) along <paramref name="dim"/>; negative bounds count from the end.</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) =>
        Wrap(NativeMethods.Slice(Handle, dim, start, end, step, out var r), r);

    /// <summary><paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>.</summary>
    public Tensor Narrow(long dim, long start, long length) => Slice(dim, start, start + length);

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, that dimension removed.</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.Select(Handle, dim, index, out var r), r);

    /// <summary>Rows (along <paramref name="dim"/>) picked by an int64 index tensor.</summary>
    public Tensor IndexSelect(long dim, Tensor index) => Wrap(NativeMethods.IndexSelect(Handle, dim, index.Handle, out var r), r);

    /// <summary>x[index]: an int64 tensor picks along dimension 0; a bool mask selects elements.</summary>
    public Tensor Index(Tensor index) => Wrap(NativeMethods.Index(Handle, index.Handle, out var r), r);

    /// <summary>x[index] = values, in place.</summary>
    public Tensor IndexPutInPlace(Tensor index, Tensor values)
    {
        NativeMethods.Check(NativeMethods.IndexPut(Handle, index.Handle, values.Handle));
        return this;
    }

    /// <summary>Values gathered along <paramref name="dim"/> at <paramref name="index"/>.</summary>
    public Tensor Gather(long dim, Tensor index) => Wrap(NativeMethods.Gather(Handle, dim, index.Handle, out var r), r);
}
