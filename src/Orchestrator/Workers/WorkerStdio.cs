using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// Takes a worker's stdin and stdout for the protocol. Anything else that writes to stdout — a plugin's
/// Console.WriteLine, a native library's printf — would corrupt the frames, so on Unix the original
/// stdout is duplicated to a private descriptor for the protocol and descriptor 1 is pointed at stderr
/// (where stray output becomes log lines); Console.Out goes to stderr everywhere.
/// </summary>
public static class WorkerStdio
{
    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int oldFd, int newFd);

    /// <summary>The protocol's input (stdin) and output (the original stdout). Call once, before anything writes to stdout.</summary>
    public static (Stream Input, Stream Output) Claim()
    {
        var input = Console.OpenStandardInput();
        Stream output;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            var fd = Dup(1);
            if (fd < 0) throw new IOException($"dup(1) failed with errno {Marshal.GetLastPInvokeError()}");
            if (Dup2(2, 1) < 0) throw new IOException($"dup2(2, 1) failed with errno {Marshal.GetLastPInvokeError()}");
            output = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        }
        else
        {
            output = Console.OpenStandardOutput();
        }
        Console.SetOut(Console.Error);
        return (input, output);
    }
}
