using System.Diagnostics;
using System.Text;

namespace AutoCompress.Storage.Tests.Support;

/// <summary>
/// Runs the CrashChild program (<c>dotnet AutoCompress.Storage.CrashChild.dll</c>, copied next to the tests) and
/// collects its complete stdout lines; a line cut off by the kill is never reported.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly StringBuilder partial = new();
    private readonly StringBuilder stderr = new();
    private readonly Task pump;

    public ChildProcess(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "AutoCompress.Storage.CrashChild.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("the crash child was not built next to the tests", dll);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr) stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        pump = Task.Run(PumpAsync);
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Stderr
    {
        get
        {
            lock (stderr) return stderr.ToString();
        }
    }

    /// <summary>Complete lines received so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines) return lines.ToList();
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new char[8192];
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (lines)
            {
                partial.Append(buffer, 0, read);
                var text = partial.ToString();
                var end = text.LastIndexOf('\n');
                if (end < 0) continue;
                lines.AddRange(text[..end].Split('\n'));
                partial.Clear().Append(text[(end + 1)..]);
            }
        }
    }

    /// <summary>Waits until <paramref name="done"/> says the output is far enough, failing if the child exits first.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<string>, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!done(Lines))
        {
            if (process.HasExited) throw new InvalidOperationException($"the crash child exited early with {process.ExitCode}: {Stderr}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"the crash child did not get far enough in {timeout}; {Lines.Count} lines; stderr: {Stderr}");
            await Task.Delay(10);
        }
    }

    /// <summary>SIGKILL (no chance to flush or close anything), then drains what the pipe still holds.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        await pump;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}
