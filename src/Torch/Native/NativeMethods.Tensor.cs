using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "ac_tensor_free")]
    internal static partial int TensorFree(IntPtr t);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_new")]
    internal static unsafe partial int TensorNew(int kind, long* shape, int ndim, int dtype, double value,
        [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_arange")]
    internal static partial int Arange(double start, double end, double step, int dtype, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_randint")]
    internal static unsafe partial int RandInt(long low, long high, long* shape, int ndim, int dtype, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_randperm")]
    internal static partial int RandPerm(long n, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_from_data")]
    internal static unsafe partial int FromData(void* data, long* shape, int ndim, int dtype, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_copy_to")]
    internal static unsafe partial int CopyTo(TensorHandle t, void* dst, long nbytes);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_info")]
    internal static partial int Info(TensorHandle t, out int ndim, out int dtype,
        [MarshalAs(UnmanagedType.U1)] out bool requiresGrad, [MarshalAs(UnmanagedType.U1)] out bool isLeaf);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_shape")]
    internal static unsafe partial int Shape(TensorHandle t, long* shape, int capacity);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_item")]
    internal static partial int Item(TensorHandle t, out double value);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_item_long")]
    internal static partial int ItemLong(TensorHandle t, out long value);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_to_string")]
    internal static partial int ToText(TensorHandle t, out IntPtr text);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_unary")]
    internal static partial int Unary(TensorHandle x, int op, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_binary")]
    internal static partial int Binary(TensorHandle a, TensorHandle b, int op, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_binary_scalar")]
    internal static partial int BinaryScalar(TensorHandle a, double s, int op, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_binary_")]
    internal static partial int BinaryInPlace(TensorHandle a, TensorHandle b, int op);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_binary_scalar_")]
    internal static partial int BinaryScalarInPlace(TensorHandle a, double s, int op);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_add_scaled")]
    internal static partial int AddScaled(TensorHandle a, TensorHandle b, double alpha,
        [MarshalAs(UnmanagedType.U1)] bool inPlace, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_random_")]
    internal static partial int RandomInPlace(TensorHandle t, int kind, double lo, double hi);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_clamp")]
    internal static partial int Clamp(TensorHandle x, double lo, double hi,
        [MarshalAs(UnmanagedType.U1)] bool hasLo, [MarshalAs(UnmanagedType.U1)] bool hasHi, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_where")]
    internal static partial int Where(TensorHandle cond, TensorHandle a, TensorHandle b, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_masked_fill")]
    internal static partial int MaskedFill(TensorHandle x, TensorHandle mask, double value,
        [MarshalAs(UnmanagedType.U1)] bool inPlace, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_matmul")]
    internal static partial int Matmul(TensorHandle a, TensorHandle b, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_to_dtype")]
    internal static partial int ToDType(TensorHandle x, int dtype, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_clone")]
    internal static partial int Clone(TensorHandle x, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_allclose")]
    internal static partial int AllClose(TensorHandle a, TensorHandle b, double rtol, double atol,
        [MarshalAs(UnmanagedType.U1)] out bool result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_reduce")]
    internal static unsafe partial int Reduce(TensorHandle x, int op, long* dims, int ndims,
        [MarshalAs(UnmanagedType.U1)] bool keepDim, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_argext")]
    internal static partial int ArgExtreme(TensorHandle x, int op, long dim, [MarshalAs(UnmanagedType.U1)] bool hasDim,
        [MarshalAs(UnmanagedType.U1)] bool keepDim, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_topk")]
    internal static partial int TopK(TensorHandle x, long k, long dim, [MarshalAs(UnmanagedType.U1)] bool largest,
        [MarshalAs(UnmanagedType.U1)] bool sorted, out TensorHandle values, out TensorHandle indices);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_sort")]
    internal static partial int Sort(TensorHandle x, long dim, [MarshalAs(UnmanagedType.U1)] bool descending,
        out TensorHandle values, out TensorHandle indices);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_shape_op")]
    internal static unsafe partial int ShapeOp(TensorHandle x, int op, long* dims, int ndims, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_transpose")]
    internal static partial int Transpose(TensorHandle x, long d0, long d1, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_flatten")]
    internal static partial int Flatten(TensorHandle x, long start, long end, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_squeeze")]
    internal static partial int Squeeze(TensorHandle x, int op, long dim, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_contiguous")]
    internal static partial int Contiguous(TensorHandle x, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_join")]
    internal static unsafe partial int Join(IntPtr* xs, int n, long dim, int op, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_slice")]
    internal static partial int Slice(TensorHandle x, long dim, long start, long end, long step, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_select")]
    internal static partial int Select(TensorHandle x, long dim, long index, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_index_select")]
    internal static partial int IndexSelect(TensorHandle x, long dim, TensorHandle index, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_index")]
    internal static partial int Index(TensorHandle x, TensorHandle index, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_gather")]
    internal static partial int Gather(TensorHandle x, long dim, TensorHandle index, out TensorHandle result);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_index_put_")]
    internal static partial int IndexPut(TensorHandle x, TensorHandle index, TensorHandle values);
}
