using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.Search.Spaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Plugins.Tests;

public sealed class PluginHostTests : IDisposable
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif
    private static readonly string Root = FindRoot();
    private static readonly string TestPlugins = Path.Combine(Root, "build", "test-plugins", Configuration);
    private static readonly string BuiltIn = Path.Combine(Root, "build", "plugins", Configuration);
    private readonly string dir = Directory.CreateTempSubdirectory("ac-plugins-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private static PluginHost Host(params string[] dirs) =>
        new(new PluginHostOptions { Directories = dirs }, NullLogger<PluginHost>.Instance);

    // A copy of a deployed test plugin in this test's own plugin directory, to break as needed.
    private string Install(string plugin, string? asName = null)
    {
        var target = Path.Combine(dir, asName ?? plugin);
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(Path.Combine(TestPlugins, plugin)))
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        return target;
    }

    private static void EditManifest(string folder, string key, string value)
    {
        var path = Path.Combine(folder, PluginManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json[key] = value;
        File.WriteAllText(path, json.ToJsonString());
    }

    private static readonly ModelGraph Model = ModelGraph.Build(Nb201Space.Network(Nb201Space.Format(Nb201Space.FromCode(42))));

    [Fact]
    public void A_plugin_loads_in_its_own_context_with_its_private_dependency()
    {
        Install("GoodCostModel");
        using var host = Host(dir);
        host.LoadAll();
        var info = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.Loaded, info.State);
        Assert.Equal("1.2.3", info.Manifest!.Version);
        var model = host.Get<CostModel>("test-good");
        Assert.Equal(Model.Order.Count, model.Estimate(Model)["layers"]);
        // The contract type is the host's own: the plugin did not bring a second copy of Contracts.
        Assert.Same(typeof(CostModel).Assembly, model.GetType().BaseType!.Assembly);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(model.GetType().Assembly));
    }

    [Fact]
    public void The_built_in_cost_models_load_through_the_host_like_any_plugin()
    {
        using var host = Host(BuiltIn);
        host.LoadAll();
        Assert.All(host.Plugins, p => Assert.True(p.State == PluginState.Loaded, $"{p.Id}: {p.Error}"));
        // At least these (more built-ins are added over time; every one of them must load, checked above).
        Assert.Subset(host.Plugins.Select(p => p.Id).ToHashSet(), new HashSet<string> { "counts", "distill", "latency-lut", "memory", "nb201", "prune", "quantize" });
        // NAS-Bench-201 index 1462 (every edge a 3x3 conv): 1,531,546 parameters, 220,119,690 MACs.
        var allConv = ModelGraph.Build(Nb201Space.Network(Nb201Space.Format(Enumerable.Repeat("nor_conv_3x3", 6).ToArray())));
        var counts = host.Get<CostModel>("counts").Estimate(allConv);
        Assert.Equal(1_531_546, counts[CostMetrics.Params]);
        Assert.Equal(220_119_690, counts[CostMetrics.Macs]);
        Assert.True(host.Get<CostModel>("memory").Estimate(allConv)[CostMetrics.WeightBytes] > 4 * 1_531_546);
    }

    [Fact]
    public void A_throwing_constructor_marks_the_plugin_broken_and_the_others_still_load()
    {
        Install("GoodCostModel");
        Install("ThrowingCostModel");
        using var host = Host(dir);
        host.LoadAll();
        var broken = host.Plugins.Single(p => p.Id == "test-throwing");
        Assert.Equal(PluginState.Broken, broken.State);
        Assert.Contains("the device file is missing", broken.Error);
        Assert.Contains("the device file is missing", Assert.Throws<PluginLoadException>(() => host.Get<CostModel>("test-throwing")).Message);
        Assert.NotNull(host.Get<CostModel>("test-good"));
    }

    [Fact]
    public void A_missing_dependency_is_reported_by_name()
    {
        var folder = Install("GoodCostModel");
        File.Delete(Path.Combine(folder, "AutoCompress.Dependency.dll"));
        using var host = Host(dir);
        host.LoadAll();
        var p = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.Broken, p.State);
        Assert.Contains("AutoCompress.Dependency", p.Error);
    }

    [Fact]
    public void A_wrong_contracts_version_a_bad_manifest_a_missing_assembly_and_an_unknown_kind_are_each_refused()
    {
        EditManifest(Install("GoodCostModel", "old"), "contracts_version", "0.0");
        EditManifest(Install("GoodCostModel", "noasm"), "assembly", "Nope.dll");
        EditManifest(Install("GoodCostModel", "kind"), "kind", "teleporter");
        File.WriteAllText(Path.Combine(Install("GoodCostModel", "garbage"), PluginManifest.FileName), "{ not json");
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        using var host = Host(dir);
        host.LoadAll();
        string Error(string folder) => host.Plugins.Single(p => Path.GetFileName(p.Folder) == folder).Error!;
        Assert.Contains("built against Contracts 0.0, this host has Contracts 0.1", Error("old"));
        Assert.Contains("Nope.dll", Error("noasm"));
        Assert.Contains("teleporter", Error("kind"));
        Assert.Contains("invalid manifest", Error("garbage"));
        Assert.Contains("no plugin.json", Error("empty"));
        Assert.All(host.Plugins, p => Assert.Equal(PluginState.Broken, p.State));
    }

    [Fact]
    public void A_duplicate_id_is_refused_and_names_the_first_folder()
    {
        var first = Install("GoodCostModel", "a");
        Install("GoodCostModel", "b");
        using var host = Host(dir);
        host.LoadAll();
        var dupe = host.Plugins.Single(p => p.State == PluginState.Broken);
        Assert.Contains("duplicate plugin id 'test-good'", dupe.Error);
        Assert.Contains(first, dupe.Error);
    }

    [Fact]
    public void An_unknown_name_lists_the_known_plugins()
    {
        using var host = Host(BuiltIn);
        host.LoadAll();
        var e = Assert.Throws<PluginLoadException>(() => host.Get<CostModel>("flops"));
        Assert.Contains("no plugin named 'flops'; known plugins: ", e.Message);
        // Every built-in is listed (the list grows as plugins are added, so it is not compared whole).
        foreach (var known in new[] { "counts", "distill", "latency-lut", "memory", "prune", "quantize" })
            Assert.Matches($"known plugins: .*\\b{known}\\b", e.Message);
    }

    [Fact]
    public void An_unloaded_plugin_is_collected()
    {
        Install("GoodCostModel");
        using var host = Host(dir);
        host.LoadAll();
        var weak = UseAndUnload(host);
        for (var i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(weak.IsAlive);
        Assert.Equal(PluginState.Unloaded, host.Plugins.Single().State);
        Assert.Throws<PluginLoadException>(() => host.Get<CostModel>("test-good"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UseAndUnload(PluginHost host)
    {
        Assert.Equal(Model.Order.Count, host.Get<CostModel>("test-good").Estimate(Model)["layers"]);
        return host.Unload("test-good");
    }
}
