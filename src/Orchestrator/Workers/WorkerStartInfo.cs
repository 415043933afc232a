namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// How to start a worker process. The pool appends <c>worker --plugins &lt;dir&gt;...</c> to
/// <see cref="Arguments"/>, so the command must be the <c>autocompress</c> program (or something that
/// speaks the worker protocol the same way).
/// </summary>
/// <param name="FileName">The executable: "dotnet" for a framework-dependent autocompress.dll, or an apphost.</param>
/// <param name="Arguments">Arguments before the worker's own, e.g. the path of autocompress.dll.</param>
public sealed record WorkerStartInfo(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Runs <paramref name="dllPath"/> (autocompress.dll) with the dotnet host running this process.</summary>
    public static WorkerStartInfo Dotnet(string dllPath) => new(DotnetHost(), [Path.GetFullPath(dllPath)]);

    /// <summary>Runs an executable directly.</summary>
    public static WorkerStartInfo Executable(string path, params string[] arguments) => new(path, arguments);

    /// <summary>autocompress.dll beside this assembly (the CLI's own output folder) run with dotnet.</summary>
    public static WorkerStartInfo Default()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "autocompress.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"autocompress.dll is not in {AppContext.BaseDirectory}; give the worker command explicitly", dll);
        return Dotnet(dll);
    }

    private static string DotnetHost()
    {
        // Set by the SDK (builds, tests); otherwise the muxer running this process, else PATH's.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}
