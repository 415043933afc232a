using AutoCompress.Contracts.Evaluation;
using AutoCompress.Contracts.Methods;
using AutoCompress.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Evaluators.NasBench201.Tests;

/// <summary>The evaluator as the orchestrator sees it: loaded through the plugin host from the deployed build.</summary>
public sealed class PluginTests : IDisposable
{
#if CONFIGURATION_Release
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif
    private static readonly string Root = FindRoot();
    private static readonly string Deployed = Path.Combine(Root, "build", "plugins", Configuration, "Evaluators.NasBench201");
    private readonly PluginHost host = new(new PluginHostOptions(), NullLogger<PluginHost>.Instance);

    public void Dispose() => host.Dispose();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AutoCompress.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private Evaluator Load()
    {
        var info = host.Load(Deployed);
        Assert.True(info.State == PluginState.Loaded, $"{info.Id}: {info.Error}");
        return host.Get<Evaluator>("nb201");
    }

    private static EvaluationRequest Request(string config, double? fidelity = null) =>
        new(1, "nb201-test", config, fidelity, 0, Path.GetTempPath());

    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    [Fact]
    public void The_plugin_loads_through_the_host_as_an_in_process_evaluator_in_its_own_context()
    {
        var evaluator = Load();
        Assert.Equal("nb201", evaluator.Id);
        Assert.False(evaluator.RequiresIsolation);
        Assert.Equal("evaluator", host.Plugins.Single().Manifest!.Kind);
        // The plugin's own copy, not the one this test project references directly.
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(evaluator.GetType().Assembly));
        Assert.Same(typeof(Evaluator).Assembly, evaluator.GetType().BaseType!.Assembly);
    }

    [BenchDataFact]
    public async Task The_best_cell_answers_with_the_tables_numbers()
    {
        // nb201_cifar10.csv line 6113 and nb201_latency.csv line 6113 (index 6111, the best cell of the space).
        var result = await Load().EvaluateAsync(Request($"{{\"arch\":\"{Best}\"}}"), new EvaluationContext(), CancellationToken.None);
        var m = result.Metrics;
        Assert.Equal(6111, m["nb201_index"]);
        Assert.Equal(0.9160666665039064, m["validation_accuracy"], 12);
        Assert.Equal(0.9437333333333333, m["test_accuracy"], 12);
        Assert.Equal(0.9999466666666667, m["train_accuracy"], 12);
        Assert.Equal(1_073_466, m["parameters"]);
        Assert.Equal(153_272_970, m["macs"]);
        Assert.Equal(23.584799999999998, m["latency_ms_pixel3"], 12);
        Assert.Equal(68.40410818003875, m["latency_ms_raspi4"], 12);
        Assert.Equal(16.127867698669434, m["latency_ms_gold_6226"], 12);
        Assert.Equal(14.263429641723633, m["latency_ms_1080ti_1"], 12);
        Assert.Equal(10, m.Count);
        Assert.Empty(result.Artifacts);
    }

    [BenchDataFact]
    public async Task Edge_parameters_and_the_arch_string_name_the_same_cell()
    {
        var evaluator = Load();
        // Index 0: |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|
        const string edges = """{"op_10":"avg_pool_3x3","op_20":"nor_conv_1x1","op_21":"skip_connect","op_30":"nor_conv_1x1","op_31":"skip_connect","op_32":"skip_connect"}""";
        const string arch = """{"arch":"|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"}""";
        var byEdges = (await evaluator.EvaluateAsync(Request(edges), new EvaluationContext(), CancellationToken.None)).Metrics;
        var byArch = (await evaluator.EvaluateAsync(Request(arch), new EvaluationContext(), CancellationToken.None)).Metrics;
        Assert.Equal(byEdges, byArch);
        Assert.Equal(0, byEdges["nb201_index"]);
        Assert.Equal(0.8198266665690103, byEdges["validation_accuracy"], 12);
        Assert.Equal(0.8586333333333334, byEdges["test_accuracy"], 12);
        Assert.Equal(129_306, byEdges["parameters"]);
        Assert.Equal(15_647_370, byEdges["macs"]);
        Assert.Equal(3.6058499999999998, byEdges["latency_ms_pixel3"], 12);
        Assert.Equal(10.75437068939209, byEdges["latency_ms_1080ti_1"], 12);
    }

    [BenchDataFact]
    public async Task Fidelity_is_ignored_and_the_log_says_so()
    {
        var evaluator = Load();
        var lines = new List<string>();
        var log = new SynchronousProgress(lines);
        var full = await evaluator.EvaluateAsync(Request($"{{\"arch\":\"{Best}\"}}"), new EvaluationContext { Log = log }, CancellationToken.None);
        Assert.Empty(lines);
        var low = await evaluator.EvaluateAsync(Request($"{{\"arch\":\"{Best}\"}}", fidelity: 12), new EvaluationContext { Log = log }, CancellationToken.None);
        Assert.Equal(full.Metrics, low.Metrics);
        Assert.Contains("fidelity 12 is ignored", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"op_10":"none","op_20":"none","op_21":"conv_5x5","op_30":"none","op_31":"none","op_32":"none"}""", "'op_21'", "conv_5x5")]
    [InlineData("""{"op_10":"none","op_20":"none","op_21":"none","op_30":"none","op_31":"none"}""", "'op_32' is missing", null)]
    [InlineData("""{"op_10":"none","op_20":"none","op_21":"none","op_30":"none","op_31":"none","op_32":"none","op_01":"none"}""", "unknown parameter 'op_01'", null)]
    [InlineData("""{"op_10":"none","op_20":"none","op_21":"none","op_30":"none","op_31":"none","op_32":3}""", "'op_32' = 3 is not an op", null)]
    [InlineData("""{"arch":"|none~0|+|none~0|none~1|+|none~0|none~1|"}""", "'arch'", "node 3 needs 3 incoming edges")]
    [InlineData("""{"arch":"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|","op_10":"none"}""", "not both", null)]
    [InlineData("""["none"]""", "must be a JSON object", null)]
    [InlineData("""{"op_10":""", "not valid JSON", null)]
    [InlineData("""{}""", "names no cell", null)]
    public async Task A_bad_configuration_is_a_config_exception_naming_the_parameter(string config, string expected, string? alsoExpected)
    {
        // The config is checked before the table is read, so this needs no benchmark data.
        var evaluator = Load();
        var task = evaluator.EvaluateAsync(Request(config), new EvaluationContext(), CancellationToken.None);
        Assert.True(task.IsFaulted, "the error is reported through the task, not thrown by the call");
        var e = await Assert.ThrowsAsync<ConfigException>(() => task);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        if (alsoExpected is not null) Assert.Contains(alsoExpected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_request_is_not_answered()
    {
        var evaluator = Load();
        var task = evaluator.EvaluateAsync(Request($"{{\"arch\":\"{Best}\"}}"), new EvaluationContext(), new CancellationToken(canceled: true));
        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    /// <summary>Collects log lines as they are reported (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
