using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Models;
using AutoCompress.CostModels.LatencyTable;
using AutoCompress.Search.Spaces;

namespace AutoCompress.CostModels.LatencyTable.Tests;

/// <summary>The real NAS-Bench-201 latency table from ../shared/benchdata.</summary>
public class Nb201LatencyTableTests
{
    private static ModelGraph Network(string arch) => ModelGraph.Build(Nb201Space.Network(arch));

    [BenchDataFact]
    public void Lists_the_four_devices_and_every_cell()
    {
        var table = BenchData.Table;
        Assert.Equal("nb201-latency-table", table.Id);
        Assert.Equal(["pixel3", "raspi4", "gold_6226", "1080ti_1"], table.Devices);
        Assert.Equal([CostMetrics.LatencyMs], table.Metrics);
        Assert.Equal(Nb201Space.Size, table.Count);
    }

    [Fact]
    public void The_default_metadata_key_is_the_one_nb201_networks_carry() =>
        Assert.Equal(Nb201Space.ArchKey, ArchitectureLatencyTable.Nb201ArchKey);

    [BenchDataTheory]
    // Rows 0, 1, 1651 (all edges none) and 15624 of nb201_latency.csv, copied from the file.
    [InlineData("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
        3.6058499999999998, 10.481976820010459, 10.524625778198242, 10.75437068939209)]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
        17.2381, 54.77739761998237, 15.179171562194824, 12.900347709655762)]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
        0.00401469, 0.011826780028059147, 3.5792922973632812, 5.523476600646973)]
    [InlineData("|nor_conv_1x1~0|+|none~0|nor_conv_1x1~1|+|none~0|nor_conv_1x1~1|nor_conv_1x1~2|",
        4.63185, 18.01667137988261, 11.170949935913086, 12.480239868164062)]
    public void Latency_of_a_network_is_its_row_in_the_csv(string arch, double pixel3, double raspi4, double gold6226, double gtx1080ti)
    {
        var network = Network(arch);
        double On(string device)
        {
            var report = BenchData.Table.Estimate(network, new CostContext { Device = device });
            Assert.Empty(report.Layers);
            return report[CostMetrics.LatencyMs];
        }
        Assert.Equal(pixel3, On("pixel3"));
        Assert.Equal(raspi4, On("raspi4"));
        Assert.Equal(gold6226, On("gold_6226"));
        Assert.Equal(gtx1080ti, On("1080ti_1"));
    }

    [BenchDataFact]
    public void An_unknown_device_is_refused_with_the_known_ones()
    {
        var network = Network("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        var e = Assert.Throws<CostModelException>(() => BenchData.Table.Estimate(network));
        Assert.Contains("'local'", e.Message, StringComparison.Ordinal);
        Assert.Contains("pixel3, raspi4, gold_6226, 1080ti_1", e.Message, StringComparison.Ordinal);
    }

    [BenchDataFact]
    public void A_model_without_the_architecture_metadata_is_refused()
    {
        var description = Nb201Space.Network("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|") with
        {
            Metadata = new Dictionary<string, string>(),
        };
        var e = Assert.Throws<CostModelException>(() =>
            BenchData.Table.Estimate(ModelGraph.Build(description), new CostContext { Device = "pixel3" }));
        Assert.Contains("nasbench201.arch", e.Message, StringComparison.Ordinal);
    }

    [BenchDataFact]
    public void Batch_sizes_other_than_one_are_refused()
    {
        var network = Network("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        var e = Assert.Throws<CostModelException>(() =>
            BenchData.Table.Estimate(network, new CostContext { Device = "pixel3", BatchSize = 8 }));
        Assert.Contains("batch size 1", e.Message, StringComparison.Ordinal);
    }
}
