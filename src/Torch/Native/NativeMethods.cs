using System.Runtime.InteropServices;

namespace AutoCompress.Torch.Native;

/// <summary>P/Invoke declarations for the native shim, split per area like the shim's own files.</summary>
internal static partial class NativeMethods
{
    internal const string Lib = "acshim";

    static NativeMethods() => NativeLibraryLoader.EnsureRegistered();

    [LibraryImport(Lib, EntryPoint = "ac_last_error")]
    private static partial IntPtr LastError();

    /// <summary>Turns a failed status code into a <see cref="TorchException"/> carrying the native message.</summary>
    internal static void Check(int rc)
    {
        if (rc != 0)
            throw new TorchException(Marshal.PtrToStringUTF8(LastError()) ?? "unknown native error");
    }

    [LibraryImport(Lib, EntryPoint = "ac_version")]
    internal static partial int Version(out IntPtr text);

    [LibraryImport(Lib, EntryPoint = "ac_util_manual_seed")]
    internal static partial int ManualSeed(ulong seed);

    [LibraryImport(Lib, EntryPoint = "ac_util_set_num_threads")]
    internal static partial int SetNumThreads(int n);

    [LibraryImport(Lib, EntryPoint = "ac_util_get_num_threads")]
    internal static partial int GetNumThreads(out int n);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_counts")]
    internal static partial int TensorCounts(out long live, out long peak);

    [LibraryImport(Lib, EntryPoint = "ac_tensor_reset_peak")]
    internal static partial int ResetPeak();
}
