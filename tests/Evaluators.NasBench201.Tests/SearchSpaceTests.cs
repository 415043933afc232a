using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Spaces;

namespace AutoCompress.Evaluators.NasBench201.Tests;

/// <summary>Nb201SearchSpace (what strategies search) agrees with the evaluator and the table on every cell.</summary>
public sealed class SearchSpaceTests
{
    [Fact]
    public void The_space_has_six_edges_over_the_five_ops_named_like_the_table_columns()
    {
        var space = Nb201SearchSpace.Create();
        Assert.Equal(Nb201Arch.EdgeNames, space.Parameters.Select(p => p.Name));
        Assert.Equal(Nb201Arch.EdgeNames, Nb201SearchSpace.EdgeParameters);
        Assert.All(space.Parameters, p =>
        {
            var c = Assert.IsType<CategoricalParameter>(p);
            Assert.Equal(Nb201Arch.Ops, c.Choices.Select(x => x.GetValue<string>()));
        });
        Assert.Equal(Nb201Space.Ops, Nb201Arch.Ops);
        Assert.Equal(15_625, space.Parameters.Aggregate(1.0, (n, p) => n * p.Cardinality));
        // The space survives its own JSON round trip (experiment specs carry it as JSON).
        Assert.Equal(space.ToJson(), SearchSpace.FromJson(space.ToJson()).ToJson());
    }

    [BenchDataFact]
    public void Every_cell_of_the_table_converts_to_a_configuration_and_back()
    {
        foreach (var cell in BenchData.Table.Cells)
        {
            var config = Nb201SearchSpace.FromArch(cell.Arch);
            Assert.Equal(cell.Arch, Nb201SearchSpace.ToArch(config));
            Assert.Equal(cell.Ops.Select(o => Nb201Arch.Ops[o]), Nb201SearchSpace.ToOps(config));
            Assert.Equal(cell.Ops, Nb201Config.Parse(config.ToJsonString()));
            Assert.Equal(cell.Arch, Nb201Space.Format(Nb201Space.Parse(cell.Arch)));
            Assert.Equal(cell.Ops, Nb201Arch.Parse(cell.Arch));
        }
    }

    [BenchDataFact]
    public void Sampled_and_mutated_configurations_are_cells_of_the_table()
    {
        var space = Nb201SearchSpace.Create();
        var random = new SeededRandom(7);
        var seen = new HashSet<int>();
        for (var i = 0; i < 2_000; i++)
        {
            var config = space.Sample(random);
            space.Check(config);
            var cell = BenchData.Table.Find(Nb201SearchSpace.ToArch(config));
            Assert.Same(cell, BenchData.Table.Find(Nb201Config.Parse(config.ToJsonString())));
            var mutated = space.Mutate(config, random);
            Assert.Equal(5, Nb201SearchSpace.ToOps(mutated).Zip(Nb201SearchSpace.ToOps(config)).Count(p => p.First == p.Second));
            seen.Add(cell.Index);
        }
        Assert.True(seen.Count > 1_500, $"2000 uniform draws from 15625 cells hit only {seen.Count} distinct cells");
    }

    [Fact]
    public void A_bad_configuration_names_the_parameter()
    {
        var config = Nb201SearchSpace.FromOps(["none", "none", "none", "none", "none", "none"]);
        config["op_31"] = "conv_7x7";
        Assert.Contains("'op_31' = \"conv_7x7\"", Assert.Throws<SearchSpaceException>(() => Nb201SearchSpace.ToArch(config)).Message, StringComparison.Ordinal);
        config.Remove("op_31");
        Assert.Contains("'op_31' is missing", Assert.Throws<SearchSpaceException>(() => Nb201SearchSpace.ToArch(config)).Message, StringComparison.Ordinal);
        config["op_31"] = "none";
        config["depth"] = 3;
        Assert.Contains("'depth' is not a parameter", Assert.Throws<SearchSpaceException>(() => Nb201SearchSpace.ToArch(config)).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Nb201SearchSpace.FromArch("|none~0|+|none~0|none~1|"));
        Assert.Throws<ArgumentException>(() => Nb201SearchSpace.FromOps(["none"]));
        Assert.Equal(new JsonObject
        {
            ["op_10"] = "nor_conv_3x3", ["op_20"] = "nor_conv_3x3", ["op_21"] = "nor_conv_3x3",
            ["op_30"] = "skip_connect", ["op_31"] = "nor_conv_3x3", ["op_32"] = "nor_conv_1x1",
        }.ToJsonString(), Nb201SearchSpace.FromArch("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|").ToJsonString());
    }
}
