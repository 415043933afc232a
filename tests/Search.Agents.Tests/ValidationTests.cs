using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Agents.Tests;

public class ValidationTests
{
    private static string Fails(SearchSpace space, JsonObject options, string name = "amc") =>
        Assert.Throws<SearchSpaceException>(() => new AmcStrategy(Synthetic.Context(space, options, 1), name)).Message;

    private static SearchSpace Ratios => Synthetic.RatioSpace(Synthetic.Network);

    [Fact]
    public void A_space_without_a_layer_parameter_is_refused_naming_it()
    {
        var space = new SearchSpace(Ratios.Parameters.Where(p => p.Name != "ratio_conv3").ToList());
        Assert.Contains("no parameter 'ratio_conv3' for layer 'conv3'", Fails(space, Runs.SmallOptions()), StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_parameters_wrong_kinds_and_ranges_are_refused()
    {
        var extra = new SearchSpace([.. Ratios.Parameters, new ContinuousParameter { Name = "lr", Low = 0, High = 1 }]);
        Assert.Contains("'lr'", Fails(extra, Runs.SmallOptions()), StringComparison.Ordinal);
        var integer = new SearchSpace(Ratios.Parameters.Select(p => p.Name == "ratio_conv2" ? new IntegerParameter { Name = p.Name, Low = 0, High = 1 } : p).ToList());
        Assert.Contains("'ratio_conv2' must be a continuous", Fails(integer, Runs.SmallOptions()), StringComparison.Ordinal);
        var full = new SearchSpace(Ratios.Parameters.Select(p => p.Name == "ratio_conv2" ? new ContinuousParameter { Name = p.Name, Low = 0, High = 1 } : p).ToList());
        Assert.Contains("within [0, 1)", Fails(full, Runs.SmallOptions()), StringComparison.Ordinal);
        var fc = new SearchSpace([.. Ratios.Parameters, new ContinuousParameter { Name = "ratio_fc", Low = 0, High = 0.5 }]);
        Assert.Contains("'fc' is not searched", Fails(fc, Runs.SmallOptions()), StringComparison.Ordinal);
        Assert.Contains("no parameter 'bits_conv1'", Fails(Ratios, Runs.SmallOptions(), "haq"), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_option()
    {
        var unknown = Runs.SmallOptions();
        unknown["learning_rate"] = 0.1;
        Assert.Contains("unknown option 'learning_rate'", Fails(Ratios, unknown), StringComparison.Ordinal);
        var noTarget = Runs.SmallOptions();
        noTarget.Remove("target");
        Assert.Contains("'target' is required", Fails(Ratios, noTarget), StringComparison.Ordinal);
        var badLayer = Runs.SmallOptions();
        badLayer["layers"]![2]!["kind"] = "pool";
        Assert.Contains("layer 'conv3': 'kind'", Fails(Ratios, badLayer), StringComparison.Ordinal);
        var noMacs = Runs.SmallOptions();
        noMacs["layers"]![1]!.AsObject().Remove("macs");
        Assert.Contains("layer 'conv2': 'macs' is required", Fails(Ratios, noMacs), StringComparison.Ordinal);
        var badLink = Runs.SmallOptions();
        badLink["layers"]![1]!["input_from"] = "conv5";
        Assert.Contains("'input_from' must name an earlier layer", Fails(Ratios, badLink), StringComparison.Ordinal);
        var badBits = Synthetic.Options(Synthetic.Network, 0.6);
        badBits["bits"] = new JsonArray(1, 8);
        Assert.Contains("option 'bits' [1, 8] is not within", Fails(Synthetic.BitSpace(Synthetic.Network), badBits, "haq"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_target_is_refused_with_the_numbers()
    {
        var message = Fails(Ratios, Runs.SmallOptions(ratio: 0.05));
        Assert.Contains("target macs ratio 0.05 cannot be reached", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_creates_amc_and_haq_by_name()
    {
        var catalog = new StrategyCatalog();
        catalog.AddAgents();
        Assert.Contains("amc", catalog.Names);
        Assert.Contains("haq", catalog.Names);
        var haqOptions = Synthetic.Options(Synthetic.Network, 0.6, "params");
        haqOptions["hidden"] = 8;
        var haq = catalog.Create("haq", Synthetic.Context(Synthetic.BitSpace(Synthetic.Network), haqOptions, 1));
        try
        {
            var config = haq.Ask(1)[0].Config;
            Assert.All(config, kv => Assert.InRange(kv.Value!.GetValue<long>(), 2, 8));
        }
        finally
        {
            ((IDisposable)haq).Dispose();
        }
        var amc = (AmcStrategy)catalog.Create("amc", Synthetic.Context(Ratios, Runs.SmallOptions(), 1));
        amc.Dispose();
    }

    [Fact]
    public void Configurations_become_method_configurations()
    {
        var config = new JsonObject { ["ratio_features_0"] = 0.25, ["ratio_features_4"] = 0.5 };
        Assert.Equal("""{"layer_ratios":{"features_0":0.25,"features_4":0.5}}""", AmcStrategy.ToMethodConfig(config).ToJsonString());
        var bits = new JsonObject { ["bits_features_0"] = 4, ["epochs"] = 1 };
        Assert.Equal("""{"epochs":1,"layer_bits":{"features_0":4}}""", AmcStrategy.ToMethodConfig(bits).ToJsonString());
    }

    [Fact]
    public void The_amc_reward_is_minus_error_times_log_cost()
    {
        var options = Runs.SmallOptions();
        options["reward"] = "amc_error_log_flops";
        using var strategy = Runs.Create(options, 1);
        var config = strategy.Ask(2)[0].Config;
        strategy.Tell(new Observation(1, config, 1, new Dictionary<string, double> { ["accuracy"] = 0.9, ["macs"] = 1e6 }));
        Assert.Equal(-0.1 * Math.Log(1e6), strategy.Agent.Baseline!.Value, 12);
        // Without a measured cost, the layer table's.
        var second = strategy.Ask(1)[0].Config;
        strategy.Tell(new Observation(3, second, 1, new Dictionary<string, double> { ["accuracy"] = 0.8 }));
        var expected = 0.9 * (-0.1 * Math.Log(1e6)) + 0.1 * (-0.2 * Math.Log(Synthetic.Macs(Synthetic.Network, second)));
        Assert.Equal(expected, strategy.Agent.Baseline!.Value, 9);
        Assert.Equal(1, strategy.Pending);
        strategy.Tell(new Observation(2, config, 1, null, "crashed")); // a failure teaches nothing
        Assert.Equal(0, strategy.Pending);
        Assert.Equal(2, strategy.Agent.EpisodesLearned);
    }

    [Fact]
    public void Haq_bits_are_whole_numbers_in_range_and_meet_the_size_budget()
    {
        var options = Synthetic.Options(Synthetic.Network, 0.5, "params");
        options["hidden"] = 16;
        options["bits"] = new JsonArray(3, 8);
        options["reference_bits"] = 8;
        using var haq = new AmcStrategy(Synthetic.Context(Synthetic.BitSpace(Synthetic.Network, 2, 8), options, 2), "haq");
        var seen = new HashSet<long>();
        for (var i = 1; i <= 20; i++)
        {
            var config = haq.Ask(1)[0].Config;
            var bits = Synthetic.Network.Where(l => l.Searched).Select(l => config["bits_" + l.Name]!.GetValue<long>()).ToList();
            Assert.All(bits, b => Assert.InRange(b, 3, 8));
            seen.UnionWith(bits);
            Assert.True(haq.CostOf(config) <= haq.Budget.Budget);
            haq.Tell(Synthetic.Observe(i, config, bits.Average() / 8));
        }
        Assert.True(seen.Count >= 4, "the warm-up explores the bit widths");
    }
}
