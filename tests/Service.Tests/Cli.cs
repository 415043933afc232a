using System.Diagnostics;

namespace AutoCompress.Service.Tests;

/// <summary>The outcome of one run of the `autocompress` program.</summary>
internal sealed record CliResult(int Code, string Out, string Err)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs the real `autocompress` program (built beside the tests) the way a user does.</summary>
internal static class Cli
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "autocompress.dll");

    /// <summary>Runs it with stdout and stderr redirected (not a terminal). <paramref name="env"/> values of null unset a variable.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?>? env, string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        Prepare(psi, env);
        return await RunAsync(psi);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, null, args);

    /// <summary>
    /// Runs it on a pseudo-terminal (util-linux `script`), as in an interactive shell: stdout is a terminal, so live
    /// displays draw. Everything the terminal received comes back as Out.
    /// </summary>
    public static async Task<CliResult> RunOnTerminalAsync(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        // A pseudo-terminal made by `script` has no size of its own: give it one, as a terminal window has.
        var command = "stty cols 160 rows 50; " + string.Join(' ', new[] { "dotnet", Dll }.Concat(args).Select(Quote));
        var psi = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "--quiet", "--flush", "--return", "--command", command, "/dev/null" }) psi.ArgumentList.Add(a);
        var withTerminal = new Dictionary<string, string?>(env ?? new Dictionary<string, string?>()) { ["TERM"] = "xterm-256color" };
        Prepare(psi, withTerminal);
        return await RunAsync(psi);
    }

    private static void Prepare(ProcessStartInfo psi, IReadOnlyDictionary<string, string?>? env)
    {
        // A token or server from the developer's shell must not leak into the tests.
        foreach (var name in new[] { "AUTOCOMPRESS_TOKEN", "AUTOCOMPRESS_SERVER", "AUTOCOMPRESS__SERVICE__TOKEN", "AUTOCOMPRESS_PLAIN" })
            psi.Environment.Remove(name);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
    }

    private static async Task<CliResult> RunAsync(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        if (psi.RedirectStandardInput) p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not end within 90 s");
        }
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
