namespace AutoCompress.Dashboard.Tests;

/// <summary>Where the repository, its built plugins and its examples are, seen from the test output.</summary>
internal static class RepoPaths
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    public static string Root { get; } = FindRoot();

    /// <summary>The built-in plugins (the nb201 evaluator among them), deployed by the build.</summary>
    public static string BuiltPlugins => Path.Combine(Root, "build", "plugins", Configuration);

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A plugin directory holding a copy of the deployed test evaluator "test-eval" (sleeps, throws, writes files).</summary>
    public static string InstallTestEvaluator(string dir)
    {
        var source = Path.Combine(Root, "build", "test-plugins", Configuration, "TestEvaluator");
        if (!Directory.Exists(source)) throw new InvalidOperationException($"{source} is missing: build the test plugins");
        var plugins = Path.Combine(dir, "plugins");
        var target = Directory.CreateDirectory(Path.Combine(plugins, "TestEvaluator")).FullName;
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        return plugins;
    }
}
