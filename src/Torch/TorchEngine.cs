using System.Runtime.InteropServices;
using AutoCompress.Torch.Native;

namespace AutoCompress.Torch;

/// <summary>Engine-wide settings and bookkeeping: seeding, threads, scopes, grad mode, tensor counts.</summary>
public static class TorchEngine
{
    /// <summary>The libtorch version the shim was built against, e.g. "1.13.1".</summary>
    public static string Version
    {
        get
        {
            NativeMethods.Check(NativeMethods.Version(out var p));
            return Marshal.PtrToStringUTF8(p) ?? "";
        }
    }

    /// <summary>Seeds libtorch's global generator: the same seed gives the same result on one machine.</summary>
    public static void ManualSeed(ulong seed) => NativeMethods.Check(NativeMethods.ManualSeed(seed));

    /// <summary>libtorch's intra-op thread count.</summary>
    public static int Threads
    {
        get
        {
            NativeMethods.Check(NativeMethods.GetNumThreads(out var n));
            return n;
        }
        set => NativeMethods.Check(NativeMethods.SetNumThreads(value));
    }

    /// <summary>Tensors currently alive on the native side (created and not yet freed).</summary>
    public static long LiveTensors
    {
        get
        {
            NativeMethods.Check(NativeMethods.TensorCounts(out var live, out _));
            return live;
        }
    }

    /// <summary>The highest <see cref="LiveTensors"/> since start or the last <see cref="ResetPeakTensors"/>.</summary>
    public static long PeakTensors
    {
        get
        {
            NativeMethods.Check(NativeMethods.TensorCounts(out _, out var peak));
            return peak;
        }
    }

    /// <summary>Sets the peak counter to the current live count.</summary>
    public static void ResetPeakTensors() => NativeMethods.Check(NativeMethods.ResetPeak());

    /// <summary>Opens a scope that frees every tensor created inside it when disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>
    /// Disables gradient recording until disposed. libtorch's grad mode belongs to the thread,
    /// so the returned guard must be disposed on the thread that created it (no <c>await</c> inside).
    /// </summary>
    public static GradModeGuard NoGrad() => new(false);

    /// <summary>Whether operations on this thread record gradients.</summary>
    public static bool IsGradEnabled
    {
        get
        {
            NativeMethods.Check(NativeMethods.IsGradEnabled(out var on));
            return on;
        }
    }
}

/// <summary>Restores the previous grad mode of its thread when disposed.</summary>
public sealed class GradModeGuard : IDisposable
{
    private readonly bool previous;
    private readonly int threadId = Environment.CurrentManagedThreadId;
    private bool disposed;

    internal GradModeGuard(bool enabled) =>
        NativeMethods.Check(NativeMethods.SetGradEnabled(enabled, out previous));

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (Environment.CurrentManagedThreadId != threadId)
            throw new InvalidOperationException(
                "a grad-mode guard was disposed on another thread than the one that created it; " +
                "libtorch's grad mode is per thread, so do not await inside NoGrad()");
        NativeMethods.Check(NativeMethods.SetGradEnabled(previous, out _));
    }
}
