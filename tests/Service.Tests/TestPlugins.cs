namespace AutoCompress.Service.Tests;

/// <summary>Where the repository's built plugins are, and a plugin directory for one test made of copies of them.</summary>
internal static class TestPlugins
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>
    /// dir/plugins with the two test evaluators (test-inproc: x², in-process; test-eval: does what its config says, in
    /// a worker process) and the NAS-Bench-201 evaluator (nb201). With <paramref name="broken"/>, also a plugin whose
    /// manifest names an assembly that is not there, which the host must list as broken.
    /// </summary>
    public static string Install(string dir, bool broken = false)
    {
        var plugins = Path.Combine(dir, "plugins");
        foreach (var (source, name) in new[]
                 {
                     (Path.Combine(Root, "build", "test-plugins", Configuration), "TestEvaluator"),
                     (Path.Combine(Root, "build", "test-plugins", Configuration), "InProcessEvaluator"),
                     (Path.Combine(Root, "build", "plugins", Configuration), "Evaluators.NasBench201"),
                 })
        {
            var from = Path.Combine(source, name);
            if (!Directory.Exists(from)) throw new InvalidOperationException($"{from} is missing: build the plugins (dotnet build tests/Service.Tests)");
            var target = Directory.CreateDirectory(Path.Combine(plugins, name)).FullName;
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        if (broken)
        {
            var folder = Directory.CreateDirectory(Path.Combine(plugins, "Broken")).FullName;
            File.WriteAllText(Path.Combine(folder, "plugin.json"), """
                {"id": "broken-evaluator", "version": "0.0.1", "kind": "evaluator", "assembly": "Missing.dll", "contracts_version": "0.1"}
                """);
        }
        return plugins;
    }
}
