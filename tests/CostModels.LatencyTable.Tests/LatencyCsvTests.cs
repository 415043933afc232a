using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.LatencyTable;
using AutoCompress.Search.Spaces;

namespace AutoCompress.CostModels.LatencyTable.Tests;

/// <summary>Small tables written to a temporary folder: what is accepted and how bad files are reported.</summary>
public sealed class LatencyCsvTests : IDisposable
{
    private const string ArchA = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    private const string ArchB = "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    private const string Header = "index,arch_str,cpu_ms,gpu_ms";

    private readonly string dir = Directory.CreateTempSubdirectory("latency-table-tests-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static ModelGraph Network(string arch) => ModelGraph.Build(Nb201Space.Network(arch));

    private CostModelException Rejected(string text, out string path)
    {
        var p = path = Write(text);
        return Assert.Throws<CostModelException>(() => new ArchitectureLatencyTable("t", p));
    }

    [Fact]
    public void A_well_formed_table_answers_for_its_devices()
    {
        var path = Write($"{Header}\r\n0,{ArchA},1.5,0.25\r\n\r\n1,{ArchB},2e1,0\r\n");
        var table = new ArchitectureLatencyTable("mine", path);
        Assert.Equal("mine", table.Id);
        Assert.Equal(["cpu", "gpu"], table.Devices);
        Assert.Equal(2, table.Count);
        Assert.Equal(0.25, table.Estimate(Network(ArchA), new CostContext { Device = "gpu" })[CostMetrics.LatencyMs]);
        Assert.Equal(20, table.Estimate(Network(ArchB), new CostContext { Device = "cpu" })[CostMetrics.LatencyMs]);
        Assert.Equal(0, table.Estimate(Network(ArchB), new CostContext { Device = "gpu" })[CostMetrics.LatencyMs]);
    }

    [Fact]
    public void Architectures_are_looked_up_under_the_given_metadata_key()
    {
        var table = new ArchitectureLatencyTable("mine", Write($"{Header}\n7,my-arch,3,4\n"), "my.key");
        var model = ModelGraph.Build(new ModelDescription
        {
            InputShape = [4],
            Layers = [new LinearLayer { Id = "fc", OutFeatures = 2 }],
            Metadata = new Dictionary<string, string> { ["my.key"] = "my-arch" },
        });
        Assert.Equal(4, table.Estimate(model, new CostContext { Device = "gpu" })[CostMetrics.LatencyMs]);
        var e = Assert.Throws<CostModelException>(() => table.Estimate(Network(ArchA), new CostContext { Device = "gpu" }));
        Assert.Contains("my.key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_architecture_missing_from_the_table_is_named()
    {
        var path = Write($"{Header}\n0,{ArchA},1,2\n");
        var table = new ArchitectureLatencyTable("t", path);
        var e = Assert.Throws<CostModelException>(() => table.Estimate(Network(ArchB), new CostContext { Device = "cpu" }));
        Assert.Contains(ArchB, e.Message, StringComparison.Ordinal);
        Assert.Contains("not in", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(dir, "nowhere.csv");
        var e = Assert.Throws<CostModelException>(() => new ArchitectureLatencyTable("t", path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("arch_str,index,cpu_ms\n", "must be index,arch_str")]
    [InlineData("index,arch_str\n", "must be index,arch_str")]
    [InlineData("index,arch_str,cpu\n", "column 3 'cpu' must be named <device>_ms")]
    [InlineData("index,arch_str,cpu_ms,_ms\n", "column 4 '_ms' must be named <device>_ms")]
    [InlineData("index,arch_str,cpu_ms,cpu_ms\n", "'cpu_ms' appears twice")]
    public void A_malformed_header_is_reported_on_line_1(string text, string problem)
    {
        var e = Rejected(text, out var path);
        Assert.StartsWith($"{path}:1: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5", "abc")]
    [InlineData("1.5", "-0.5")]
    [InlineData("1.5", "NaN")]
    [InlineData("1.5", "")]
    [InlineData("1,5", "2")]   // a decimal comma adds a field
    public void A_bad_latency_names_its_line_and_column(string cpu, string gpu)
    {
        var e = Rejected($"{Header}\n0,{ArchA},1,2\n1,{ArchB},{cpu},{gpu}\n", out var path);
        Assert.StartsWith($"{path}:3: ", e.Message, StringComparison.Ordinal);
        if (cpu.Contains(',', StringComparison.Ordinal))
            Assert.Contains("has 5 fields, the header 4", e.Message, StringComparison.Ordinal);
        else
            Assert.Contains($"column 4 (gpu_ms): '{gpu}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_integer_index_is_reported()
    {
        var e = Rejected($"{Header}\nfirst,{ArchA},1,2\n", out var path);
        Assert.Equal($"{path}:2: column 1 (index): 'first' is not an integer", e.Message);
    }

    [Fact]
    public void A_row_with_too_few_fields_is_reported()
    {
        var e = Rejected($"{Header}\n0,{ArchA},1\n", out var path);
        Assert.Equal($"{path}:2: has 3 fields, the header 4", e.Message);
    }

    [Fact]
    public void A_duplicate_architecture_names_both_lines()
    {
        var e = Rejected($"{Header}\n0,{ArchA},1,2\n1,{ArchB},1,2\n2,{ArchA},3,4\n", out var path);
        Assert.Equal($"{path}:4: architecture '{ArchA}' is already listed on line 2", e.Message);
    }
}
