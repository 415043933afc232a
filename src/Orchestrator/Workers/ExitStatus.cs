namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// How a worker process ended, in words. On Unix .NET reports a process killed by signal n as exit code
/// 128 + n, the shell's convention; a process that exits normally with such a code reads the same.
/// </summary>
internal static class ExitStatus
{
    private static readonly Dictionary<int, string> Signals = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT",
        [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
        [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [24] = "SIGXCPU", [31] = "SIGSYS",
    };

    /// <summary>The signal name for an exit code of 128 + n, or null.</summary>
    public static string? Signal(int exitCode) =>
        OperatingSystem.IsWindows() || exitCode <= 128 || exitCode > 128 + 64 ? null
        : Signals.TryGetValue(exitCode - 128, out var name) ? name : $"signal {exitCode - 128}";

    public static string Describe(int exitCode) => Signal(exitCode) is { } signal
        ? $"killed by {signal} (signal {exitCode - 128}, exit code {exitCode})"
        : $"exited with code {exitCode}";
}
