using AutoCompress.Orchestrator.Workers;

namespace AutoCompress.Orchestrator.Tests;

/// <summary>Where the deployed test evaluators and the built `autocompress` program are.</summary>
internal static class TestPlugins
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif
    private static readonly string Root = FindRoot();

    /// <summary>The worker command: the autocompress.dll built beside these tests.</summary>
    public static WorkerStartInfo Worker { get; } = WorkerStartInfo.Dotnet(Path.Combine(AppContext.BaseDirectory, "autocompress.dll"));

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>A fresh plugin directory holding copies of the two deployed test evaluators (test-eval, test-inproc).</summary>
    public static string InstallEvaluators(string dir)
    {
        var plugins = Path.Combine(dir, "plugins");
        foreach (var name in new[] { "TestEvaluator", "InProcessEvaluator" })
        {
            var source = Path.Combine(Root, "build", "test-plugins", Configuration, name);
            if (!Directory.Exists(source)) throw new InvalidOperationException($"{source} is missing: build the test plugins");
            var target = Directory.CreateDirectory(Path.Combine(plugins, name)).FullName;
            foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        return plugins;
    }
}
