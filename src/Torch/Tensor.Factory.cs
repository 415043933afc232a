using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

public sealed partial class Tensor
{
    private static unsafe Tensor Create(int kind, ReadOnlySpan<long> shape, DType dtype, double value, bool requiresGrad)
    {
        fixed (long* p = shape)
            return Wrap(NativeMethods.TensorNew(kind, p, shape.Length, (int)dtype, value, requiresGrad, out var r), r);
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Create(0, shape, dtype, 0, requiresGrad);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Create(1, shape, dtype, 0, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Create(2, shape, dtype, value, requiresGrad);

    /// <summary>An uninitialized tensor.</summary>
    public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Create(3, shape, dtype, 0, requiresGrad);

    /// <summary>Uniform samples in [0, 1) from the global generator.</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Create(4, shape, dtype, 0, requiresGrad);

    /// <summary>Standard normal samples from the global generator.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Create(5, shape, dtype, 0, requiresGrad);

    /// <summary>Uniform integers in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static unsafe Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64)
    {
        fixed (long* p = shape)
            return Wrap(NativeMethods.RandInt(low, high, p, shape.Length, (int)dtype, out var r), r);
    }

    /// <summary>A random permutation of 0..n-1 (int64).</summary>
    public static Tensor RandPerm(long n) => Wrap(NativeMethods.RandPerm(n, out var r), r);

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="end"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64) =>
        Wrap(NativeMethods.Arange(start, end, step, (int)dtype, out var r), r);

    /// <summary>A 1-D int64 tensor 0..end-1.</summary>
    public static Tensor Arange(long end) => Arange(0, end);

    /// <summary>Copies <paramref name="data"/> into a new 1-D tensor.</summary>
    public static Tensor FromArray<T>(ReadOnlySpan<T> data) where T : unmanaged => FromArray(data, [data.Length]);

    /// <summary>Copies <paramref name="data"/> into a new tensor of exactly <paramref name="shape"/> (empty = 0-dimensional).</summary>
    public static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension {d} in shape [{string.Join(", ", shape.ToArray())}]");
            n *= d;
        }
        if (n != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] holds {n} elements but {data.Length} were given");
        fixed (T* d = data)
        fixed (long* s = shape)
            return Wrap(NativeMethods.FromData(d, s, shape.Length, (int)DTypeExtensions.Of<T>(), out var r), r);
    }

    /// <summary>Copies <paramref name="data"/> into a new tensor of the given shape; no shape means 1-D.</summary>
    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged =>
        shape.Length == 0 ? FromArray<T>(data.AsSpan()) : FromArray<T>(data.AsSpan(), shape.AsSpan());

    /// <summary>A one-element tensor (0-dimensional).</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full(ReadOnlySpan<long>.Empty, value, dtype);
}
