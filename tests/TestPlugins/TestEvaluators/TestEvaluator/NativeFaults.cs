using System.Runtime.InteropServices;

namespace AutoCompress.TestEvaluator;

/// <summary>libc entry points to fail the way native code (libtorch) fails: faults and stray writes to stdout.</summary>
internal static partial class NativeFaults
{
    private const int Sigsegv = 11;

    [DllImport("libc", EntryPoint = "strlen")]
    private static extern nuint StrLen(nint s);

    [DllImport("libc", EntryPoint = "raise")]
    private static extern int Raise(int signal);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);

    [DllImport("libc", EntryPoint = "write")]
    private static extern nint Write(int fd, byte[] buffer, nuint count);

    /// <summary>A genuine invalid read inside native code (address 1 is never mapped): the kernel sends SIGSEGV.</summary>
    public static nuint Segfault() => StrLen(1);

    /// <summary>
    /// SIGSEGV raised explicitly with the default action restored, as a native library that gives up would.
    /// (With .NET's own handler installed a raised, not faulted, SIGSEGV is ignored.)
    /// </summary>
    public static void RaiseSegv()
    {
        Signal(Sigsegv, 0); // SIG_DFL
        if (Raise(Sigsegv) != 0) throw new InvalidOperationException("raise(SIGSEGV) failed");
    }

    /// <summary>Writes to file descriptor 1 behind .NET's back, as a native library printing to stdout does.</summary>
    public static void WriteToStdout(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (Write(1, bytes, (nuint)bytes.Length) < 0) throw new IOException("write(1) failed");
    }
}
