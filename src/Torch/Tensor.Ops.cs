using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

public sealed partial class Tensor
{
    // Op codes shared with tensor.cpp.
    private enum UnaryOp { Neg, Abs, Exp, Log, Sqrt, Rsqrt, Sigmoid, Tanh, Relu, Relu6, Hardswish, Sign, Floor, Ceil, Round, Square, Reciprocal, LogicalNot, Sin, Cos, Log1p, Silu, IsNan }
    private enum BinaryOp { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Remainder, Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, Copy }
    private enum ReduceOp { Sum, Mean, Max, Min, Var, Std, Norm, AbsSum, Prod, Any, All, CountNonZero }

    private Tensor Unary(UnaryOp op) => Wrap(NativeMethods.Unary(Handle, (int)op, out var r), r);
    private Tensor Binary(Tensor other, BinaryOp op) => Wrap(NativeMethods.Binary(Handle, other.Handle, (int)op, out var r), r);
    private Tensor Binary(double s, BinaryOp op) => Wrap(NativeMethods.BinaryScalar(Handle, s, (int)op, out var r), r);

    private Tensor InPlace(Tensor other, BinaryOp op)
    {
        NativeMethods.Check(NativeMethods.BinaryInPlace(Handle, other.Handle, (int)op));
        return this;
    }

    private Tensor InPlace(double s, BinaryOp op)
    {
        NativeMethods.Check(NativeMethods.BinaryScalarInPlace(Handle, s, (int)op));
        return this;
    }

    // ---------- elementwise, out of place ----------
    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Relu6() => Unary(UnaryOp.Relu6);
    public Tensor Hardswish() => Unary(UnaryOp.Hardswish);
    public Tensor Silu() => Unary(UnaryOp.Silu);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);

    public Tensor Add(Tensor other) => Binary(other, BinaryOp.Add);
    public Tensor Add(double s) => Binary(s, BinaryOp.Add);
    /// <summary>this + alpha * other.</summary>
    public Tensor Add(Tensor other, double alpha) => Wrap(NativeMethods.AddScaled(Handle, other.Handle, alpha, false, out var r), r);
    public Tensor Sub(Tensor other) => Binary(other, BinaryOp.Sub);
    public Tensor Sub(double s) => Binary(s, BinaryOp.Sub);
    public Tensor Mul(Tensor other) => Binary(other, BinaryOp.Mul);
    public Tensor Mul(double s) => Binary(s, BinaryOp.Mul);
    public Tensor Div(Tensor other) => Binary(other, BinaryOp.Div);
    public Tensor Div(double s) => Binary(s, BinaryOp.Div);
    public Tensor Pow(Tensor other) => Binary(other, BinaryOp.Pow);
    public Tensor Pow(double s) => Binary(s, BinaryOp.Pow);
    public Tensor Maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    public Tensor Minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
    public Tensor Remainder(Tensor other) => Binary(other, BinaryOp.Remainder);
    public Tensor Remainder(double s) => Binary(s, BinaryOp.Remainder);
    public Tensor LogicalAnd(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
    public Tensor LogicalOr(Tensor other) => Binary(other, BinaryOp.LogicalOr);

    // ---------- comparison (bool results) ----------
    public Tensor Eq(Tensor other) => Binary(other, BinaryOp.Eq);
    public Tensor Eq(double s) => Binary(s, BinaryOp.Eq);
    public Tensor Ne(Tensor other) => Binary(other, BinaryOp.Ne);
    public Tensor Ne(double s) => Binary(s, BinaryOp.Ne);
    public Tensor Lt(Tensor other) => Binary(other, BinaryOp.Lt);
    public Tensor Lt(double s) => Binary(s, BinaryOp.Lt);
    public Tensor Le(Tensor other) => Binary(other, BinaryOp.Le);
    public Tensor Le(double s) => Binary(s, BinaryOp.Le);
    public Tensor Gt(Tensor other) => Binary(other, BinaryOp.Gt);
    public Tensor Gt(double s) => Binary(s, BinaryOp.Gt);
    public Tensor Ge(Tensor other) => Binary(other, BinaryOp.Ge);
    public Tensor Ge(double s) => Binary(s, BinaryOp.Ge);

    /// <summary>Whether every element is within atol + rtol * |other| of <paramref name="other"/>.</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        NativeMethods.Check(NativeMethods.AllClose(Handle, other.Handle, rtol, atol, out var r));
        return r;
    }

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, double s) => a.Add(s);
    public static Tensor operator +(double s, Tensor a) => a.Add(s);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, double s) => a.Sub(s);
    public static Tensor operator -(double s, Tensor a) => a.Neg().Add(s);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, double s) => a.Mul(s);
    public static Tensor operator *(double s, Tensor a) => a.Mul(s);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, double s) => a.Div(s);

    // ---------- in place (used on parameters and buffers; call under NoGrad for leaves that require grad) ----------
    public Tensor AddInPlace(Tensor other) => InPlace(other, BinaryOp.Add);
    public Tensor AddInPlace(double s) => InPlace(s, BinaryOp.Add);
    /// <summary>this += alpha * other, in place.</summary>
    public Tensor AddInPlace(Tensor other, double alpha)
    {
        NativeMethods.Check(NativeMethods.AddScaled(Handle, other.Handle, alpha, true, out var none));
        none.Dispose();
        return this;
    }
    public Tensor SubInPlace(Tensor other) => InPlace(other, BinaryOp.Sub);
    public Tensor MulInPlace(Tensor other) => InPlace(other, BinaryOp.Mul);
    public Tensor MulInPlace(double s) => InPlace(s, BinaryOp.Mul);
    public Tensor DivInPlace(Tensor other) => InPlace(other, BinaryOp.Div);
    public Tensor DivInPlace(double s) => InPlace(s, BinaryOp.Div);
    public Tensor ClampMinInPlace(double min) => InPlace(min, BinaryOp.Maximum);
    public Tensor ClampMaxInPlace(double max) => InPlace(max, BinaryOp.Minimum);
    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcasting, casting).</summary>
    public Tensor CopyFrom(Tensor source) => InPlace(source, BinaryOp.Copy);
    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor Fill(double value) => InPlace(value, BinaryOp.Copy);
    /// <summary>Sets every element to zero.</summary>
    public Tensor Zero() => Fill(0);
    /// <summary>Fills with uniform samples in [lo, hi).</summary>
    public Tensor UniformInPlace(double lo, double hi) { NativeMethods.Check(NativeMethods.RandomInPlace(Handle, 0, lo, hi)); return this; }
    /// <summary>Fills with normal samples.</summary>
    public Tensor NormalInPlace(double mean, double std) { NativeMethods.Check(NativeMethods.RandomInPlace(Handle, 1, mean, std)); return this; }
    /// <summary>Fills with Bernoulli(p) samples.</summary>
    public Tensor BernoulliInPlace(double p) { NativeMethods.Check(NativeMethods.RandomInPlace(Handle, 2, p, 0)); return this; }

    /// <summary>Clamps to [min, max]; a null bound is open.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.Clamp(Handle, min ?? 0, max ?? 0, min.HasValue, max.HasValue, out var r), r);

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> holds, else of <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        Wrap(NativeMethods.Where(condition.Handle, a.Handle, b.Handle, out var r), r);

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) =>
        Wrap(NativeMethods.MaskedFill(Handle, mask.Handle, value, false, out var r), r);

    /// <summary>Sets <paramref name="value"/> where <paramref name="mask"/> is true, in place.</summary>
    public Tensor MaskedFillInPlace(Tensor mask, double value)
    {
        NativeMethods.Check(NativeMethods.MaskedFill(Handle, mask.Handle, value, true, out var none));
        none.Dispose();
        return this;
    }

    /// <summary>Matrix product with numpy-style broadcasting.</summary>
    public Tensor Matmul(Tensor other) => Wrap(NativeMethods.Matmul(Handle, other.Handle, out var r), r);

    /// <summary>A copy converted to <paramref name="dtype"/> (or this tensor's data shared when the dtype is the same).</summary>
    public Tensor To(DType dtype) => Wrap(NativeMethods.ToDType(Handle, (int)dtype, out var r), r);

    /// <summary>A copy that does not share memory.</summary>
    public Tensor Clone() => Wrap(NativeMethods.Clone(Handle, out var r), r);

    // ---------- reductions ----------
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* p = dims)
            return Wrap(NativeMethods.Reduce(Handle, (int)op, p, dims.Length, keepDim, out var r), r);
    }

    /// <summary>Sum over <paramref name="dims"/> (all when empty).</summary>
    public Tensor Sum(params long[] dims) => Reduce(ReduceOp.Sum, dims, false);
    public Tensor Sum(long[] dims, bool keepDim) => Reduce(ReduceOp.Sum, dims, keepDim);
    public Tensor Mean(params long[] dims) => Reduce(ReduceOp.Mean, dims, false);
    public Tensor Mean(long[] dims, bool keepDim) => Reduce(ReduceOp.Mean, dims, keepDim);
    /// <summary>Maximum values over <paramref name="dims"/> (all when empty).</summary>
    public Tensor Max(params long[] dims) => Reduce(ReduceOp.Max, dims, false);
    public Tensor Max(long[] dims, bool keepDim) => Reduce(ReduceOp.Max, dims, keepDim);
    public Tensor Min(params long[] dims) => Reduce(ReduceOp.Min, dims, false);
    public Tensor Min(long[] dims, bool keepDim) => Reduce(ReduceOp.Min, dims, keepDim);
    /// <summary>Unbiased variance.</summary>
    public Tensor Var(params long[] dims) => Reduce(ReduceOp.Var, dims, false);
    /// <summary>Unbiased standard deviation.</summary>
    public Tensor Std(params long[] dims) => Reduce(ReduceOp.Std, dims, false);
    /// <summary>L2 norm over <paramref name="dims"/> (all when empty).</summary>
    public Tensor Norm(params long[] dims) => Reduce(ReduceOp.Norm, dims, false);
    /// <summary>L1 norm over <paramref name="dims"/> (all when empty).</summary>
    public Tensor NormL1(params long[] dims) => Reduce(ReduceOp.AbsSum, dims, false);
    /// <summary>Product over one dimension, or all.</summary>
    public Tensor Prod(params long[] dims) => Reduce(ReduceOp.Prod, dims, false);
    public Tensor Any(params long[] dims) => Reduce(ReduceOp.Any, dims, false);
    public Tensor All(params long[] dims) => Reduce(ReduceOp.All, dims, false);
    public Tensor CountNonZero(params long[] dims) => Reduce(ReduceOp.CountNonZero, dims, false);

    /// <summary>Index of the maximum along <paramref name="dim"/>, or of the flattened tensor when null.</summary>
    public Tensor ArgMax(long? dim = null, bool keepDim = false) =>
        Wrap(NativeMethods.ArgExtreme(Handle, 0, dim ?? 0, dim.HasValue, keepDim, out var r), r);

    public Tensor ArgMin(long? dim = null, bool keepDim = false) =>
        Wrap(NativeMethods.ArgExtreme(Handle, 1, dim ?? 0, dim.HasValue, keepDim, out var r), r);

    /// <summary>The <paramref name="k"/> largest (or smallest) elements along <paramref name="dim"/> and their indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        NativeMethods.Check(NativeMethods.TopK(Handle, k, dim, largest, sorted, out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Sorted values along <paramref name="dim"/> and the permutation that sorts them.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        NativeMethods.Check(NativeMethods.Sort(Handle, dim, descending, out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }
}
