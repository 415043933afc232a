namespace AutoCompress.Torch.Tests;

public sealed class TensorTests
{
    [Fact]
    public void Creation_shapes_dtypes_and_round_trip_through_managed_arrays()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var z = Tensor.Zeros([2, 3]);
        Assert.Equal(new long[] { 2, 3 }, z.Shape);
        Assert.Equal(DType.Float32, z.DType);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones([4], DType.Float64).ToArray<double>(), v => Assert.Equal(1.0, v));
        Assert.All(Tensor.Full([2, 2], 7, DType.Int64).ToArray<long>(), v => Assert.Equal(7L, v));
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, Tensor.Arange(5).ToArray<long>());
        Assert.Equal(new[] { 1.0f, 1.5f, 2.0f }, Tensor.Arange(1, 2.5, 0.5, DType.Float32).ToArray<float>());

        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(data, 2, 3);
        Assert.Equal(data, t.ToArray<float>());
        Assert.Equal(new sbyte[] { -128, 0, 127 }, Tensor.FromArray(new sbyte[] { -128, 0, 127 }).ToArray<sbyte>());
        Assert.Equal(new byte[] { 0, 255 }, Tensor.FromArray(new byte[] { 0, 255 }).ToArray<byte>());
        Assert.Equal(new[] { true, false }, Tensor.FromArray(new[] { true, false }).ToArray<bool>());
        Assert.Equal(DType.Int8, Tensor.Zeros([1], DType.Int8).DType);
        Assert.Equal(DType.Bool, Tensor.Zeros([1], DType.Bool).DType);

        var r = Tensor.Rand([1000]).ToArray<float>();
        Assert.All(r, v => Assert.InRange(v, 0f, 1f));
        var n = Tensor.Randn([10000]);
        Assert.InRange(n.Mean().Item(), -0.05, 0.05);
        Assert.InRange(n.Std().Item(), 0.95, 1.05);
        var ri = Tensor.RandInt(3, 7, [500]).ToArray<long>();
        Assert.All(ri, v => Assert.InRange(v, 3L, 6L));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Tensor.RandPerm(10).ToArray<long>().Order());
    }

    [Fact]
    public void A_mismatched_shape_or_dtype_is_rejected_before_reaching_native_code()
    {
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        using var t = Tensor.Zeros([2]).DetachFromScope();
        Assert.Throws<ArgumentException>(() => t.ToArray<double>());
    }

    [Fact]
    public void Elementwise_comparison_and_reduction_ops()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var a = Tensor.FromArray(new float[] { 1, -2, 3, -4 }, 2, 2);
        var b = Tensor.FromArray(new float[] { 2, 2, 2, 2 }, 2, 2);
        Assert.Equal(new float[] { 3, 0, 5, -2 }, (a + b).ToArray<float>());
        Assert.Equal(new float[] { -1, -4, 1, -6 }, (a - b).ToArray<float>());
        Assert.Equal(new float[] { 2, -4, 6, -8 }, (a * b).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, -1, 1.5f, -2 }, (a / b).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, a.Abs().ToArray<float>());
        Assert.Equal(new float[] { 1, 0, 3, 0 }, a.Relu().ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 9, 16 }, a.Square().ToArray<float>());
        Assert.Equal(new float[] { 1, -1, 2, -1 }, a.Clamp(-1, 2).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 5, 6 }, (Tensor.FromArray(new float[] { 0, 1, 2, 3 }) + 3).ToArray<float>());
        Assert.Equal(new float[] { 0, 6, 6, 3 },
            Tensor.FromArray(new float[] { -1, 7, 6, 3 }).Relu6().ToArray<float>());
        // hardswish(x) = x * relu6(x + 3) / 6
        Assert.Equal(new float[] { 0, 1 * 4 / 6f, 3 }, Tensor.FromArray(new float[] { -3, 1, 3 }).Hardswish().ToArray<float>());
        Assert.Equal(0.5, Tensor.FromArray(new float[] { 0 }).Sigmoid().Item(), 6);

        Assert.Equal(new[] { false, false, true, false }, a.Gt(2).ToArray<bool>());
        Assert.Equal(new[] { true, true, false, true }, a.Lt(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false, true }, a.Eq(Tensor.FromArray(new float[] { 0, -2, 0, -4 }, 2, 2)).ToArray<bool>());
        Assert.Equal(new float[] { 1, 2, 3, 2 }, Tensor.Where(a.Gt(0), a, b).ToArray<float>());

        Assert.Equal(-2.0, a.Sum().Item());
        Assert.Equal(-0.5, a.Mean().Item());
        Assert.Equal(new float[] { -1, -1 }, a.Sum(1).ToArray<float>());
        Assert.Equal(new long[] { 2, 1 }, a.Sum([1], keepDim: true).Shape);
        Assert.Equal(new float[] { 3, -2 }, a.Max(0).ToArray<float>());
        Assert.Equal(-4.0, a.Min().Item());
        Assert.Equal(Math.Sqrt(30), a.Norm().Item(), 5);
        Assert.Equal(10.0, a.NormL1().Item());
        Assert.Equal(new long[] { 0, 0 }, a.ArgMax(1).ToArray<long>());
        Assert.Equal(2L, a.ArgMax().ItemLong());
        Assert.Equal(24.0, a.Abs().Prod().Item());
    }

    [Fact]
    public void Matmul_shape_ops_and_joins()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var a = Tensor.Arange(0, 6, 1, DType.Float32).Reshape(2, 3);
        var b = Tensor.Arange(0, 6, 1, DType.Float32).Reshape(3, 2);
        // [[0,1,2],[3,4,5]] x [[0,1],[2,3],[4,5]] = [[10,13],[28,40]]
        Assert.Equal(new float[] { 10, 13, 28, 40 }, a.Matmul(b).ToArray<float>());
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, a.Transpose(0, 1).Contiguous().ToArray<float>());
        Assert.Equal(new long[] { 3, 2 }, a.Permute(1, 0).Shape);
        Assert.Equal(new long[] { 6 }, a.Flatten().Shape);
        Assert.Equal(new long[] { 1, 2, 3 }, a.Unsqueeze(0).Shape);
        Assert.Equal(new long[] { 2, 3 }, a.Unsqueeze(0).Squeeze(0).Shape);
        Assert.Equal(new long[] { 3, 2 }, a.View(3, 2).Shape);
        Assert.Equal(new long[] { 4, 2, 3 }, a.Unsqueeze(0).Expand(4, -1, -1).Shape);
        Assert.Equal(new long[] { 4, 3 }, Tensor.Cat([a, a], 0).Shape);
        Assert.Equal(new long[] { 2, 2, 3 }, Tensor.Stack([a, a], 0).Shape);

        Assert.Equal(new float[] { 1, 2, 4, 5 }, a.Slice(1, 1, 3).Contiguous().ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 5 }, a.Select(0, 1).ToArray<float>());
        Assert.Equal(new float[] { 2, 5 }, a.Narrow(1, 2, 1).Contiguous().ToArray<float>());
        Assert.Equal(new float[] { 2, 0, 5, 3 }, a.IndexSelect(1, Tensor.FromArray(new long[] { 2, 0 })).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 5 }, a.Index(Tensor.FromArray(new long[] { 1 })).Flatten().ToArray<float>());
        Assert.Equal(new float[] { 4, 5 }, a.Index(a.Gt(3)).ToArray<float>());
        Assert.Equal(new float[] { 1, 5 }, a.Gather(1, Tensor.FromArray(new long[] { 1, 2 }, 2, 1)).Flatten().ToArray<float>());

        var v = Tensor.FromArray(new float[] { 3, 1, 4, 1, 5, 9, 2, 6 });
        var (top, topIdx) = v.TopK(3);
        Assert.Equal(new float[] { 9, 6, 5 }, top.ToArray<float>());
        Assert.Equal(new long[] { 5, 7, 4 }, topIdx.ToArray<long>());
        var (sorted, order) = v.Sort();
        Assert.Equal(new float[] { 1, 1, 2, 3, 4, 5, 6, 9 }, sorted.ToArray<float>());
        Assert.Equal(9f, v.Index(order).ToArray<float>()[^1]);
        Assert.Equal(DType.Int64, v.To(DType.Int64).DType);
    }

    [Fact]
    public void In_place_ops_change_the_tensor_itself()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var t = Tensor.Zeros([3]);
        t.AddInPlace(2).MulInPlace(3);
        Assert.Equal(new float[] { 6, 6, 6 }, t.ToArray<float>());
        t.AddInPlace(Tensor.Ones([3]), alpha: -2);
        Assert.Equal(new float[] { 4, 4, 4 }, t.ToArray<float>());
        t.MaskedFillInPlace(Tensor.FromArray(new[] { true, false, true }), -1);
        Assert.Equal(new float[] { -1, 4, -1 }, t.ToArray<float>());
        t.CopyFrom(Tensor.FromArray(new float[] { 7, 8, 9 }));
        Assert.Equal(new float[] { 7, 8, 9 }, t.ToArray<float>());
        t.IndexPutInPlace(Tensor.FromArray(new long[] { 0 }), Tensor.FromArray(new float[] { 0 }));
        Assert.Equal(new float[] { 0, 8, 9 }, t.ToArray<float>());
        t.Zero();
        Assert.Equal(0.0, t.Abs().Sum().Item());
    }

    [Fact]
    public void A_libtorch_error_comes_back_as_a_managed_exception_with_libtorch_message()
    {
        using var scope = TorchEngine.NewDisposeScope();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);
        var e = Assert.Throws<TorchException>(() => a.Matmul(b));
        Assert.Contains("cannot be multiplied", e.Message);
        Assert.Contains("2x3", e.Message);
        var conv = Assert.Throws<TorchException>(() => Functional.Conv2d(Tensor.Zeros([1, 3, 8, 8]), Tensor.Zeros([4, 2, 3, 3])));
        Assert.Contains("channels", conv.Message);
        Assert.Throws<TorchException>(() => a.View(7));
        // The engine is still usable afterwards and the error does not linger.
        Assert.Equal(6.0, Tensor.Ones([2, 3]).Sum().Item());
    }

    [Fact]
    public void A_disposed_tensor_refuses_use()
    {
        var t = Tensor.Zeros([2]).DetachFromScope();
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.Sum());
        t.Dispose(); // idempotent
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers()
    {
        using var scope = TorchEngine.NewDisposeScope();
        TorchEngine.ManualSeed(42);
        var a = Tensor.Randn([16]).ToArray<float>();
        TorchEngine.ManualSeed(42);
        var b = Tensor.Randn([16]).ToArray<float>();
        TorchEngine.ManualSeed(43);
        var c = Tensor.Randn([16]).ToArray<float>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Thread_count_can_be_set()
    {
        var before = TorchEngine.Threads;
        try
        {
            TorchEngine.Threads = 1;
            Assert.Equal(1, TorchEngine.Threads);
            Assert.Throws<TorchException>(() => TorchEngine.Threads = 0);
        }
        finally
        {
            TorchEngine.Threads = before;
        }
    }

    [Fact]
    public void Printing_shows_values()
    {
        using var t = Tensor.FromArray(new float[] { 1.5f, 2.5f }).DetachFromScope();
        Assert.Contains("1.5", t.ToString());
        Assert.StartsWith("1.", TorchEngine.Version);
    }
}
