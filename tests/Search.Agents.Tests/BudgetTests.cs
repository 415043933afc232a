using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using FsCheck;
using FsCheck.Fluent;

namespace AutoCompress.Search.Agents.Tests;

/// <summary>
/// AMC's budget clipping: whatever the layer table, and whatever the agent proposes (random warm-up actions, then the
/// actor with noise after some training), no suggestion may exceed the budget. The cost is recomputed here from the
/// table, independently of the strategy's cost model.
/// </summary>
public class BudgetTests
{
    private sealed record Row(string Name, double Cost, bool Searched, int InputFrom, double Low, double High);

    // A random layer table: 1..9 layers, costs over six orders of magnitude, some not searched, inputs from the
    // previous layer, an earlier one or none, per-layer ranges; and a target between the cheapest reachable cost and
    // the full cost (or, one time in eight, below the cheapest: then the strategy must refuse).
    private static Gen<(Row[] Rows, double Target, long Seed)> Tables(bool bits) =>
        from n in Gen.Choose(1, 9)
        from costs in Gen.Choose(0, 600).Select(e => Math.Pow(10, e / 100.0)).ArrayOf(n)
        from searched in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))).ArrayOf(n)
        from links in Gen.Choose(0, 1000).ArrayOf(n)
        from lows in Gen.Choose(0, 60).ArrayOf(n)
        from spans in Gen.Choose(0, 39).ArrayOf(n)
        from target in Gen.Choose(0, 1000)
        from unreachable in Gen.Frequency((7, Gen.Constant(false)), (1, Gen.Constant(true)))
        from seed in Gen.Choose(1, 1_000_000)
        select Build(n, costs, searched, links, lows, spans, target / 1000.0, unreachable, seed, bits);

    private static (Row[], double, long) Build(int n, double[] costs, bool[] searched, int[] links, int[] lows, int[] spans,
        double u, bool unreachable, long seed, bool bits)
    {
        if (!searched.Any(s => s)) searched[0] = true;
        var rows = new Row[n];
        for (var i = 0; i < n; i++)
        {
            var inputFrom = i == 0 ? -1 : (links[i] % 4) switch { 0 => -1, 1 => links[i] % i, _ => i - 1 };
            var (low, high) = bits
                ? (2 + lows[i] % 5, Math.Min(8, 2 + lows[i] % 5 + spans[i] % 5))
                : (lows[i] / 100.0, Math.Min(0.95, lows[i] / 100.0 + spans[i] / 40.0));
            rows[i] = new Row($"l{i}", costs[i], searched[i], inputFrom, low, high);
        }
        var referenceBits = bits ? rows.Where(r => r.Searched).Max(r => r.High) : 0;
        var reference = Cost(rows, rows.Select(r => Unchanged(r, bits, referenceBits)).ToArray(), bits);
        var cheapest = Cost(rows, rows.Select(r => !r.Searched ? Unchanged(r, bits, referenceBits) : bits ? r.Low : r.High).ToArray(), bits) / reference;
        var ratio = unreachable ? cheapest * (0.2 + 0.79 * u) : cheapest + u * (1 - cheapest);
        return (rows, Math.Clamp(ratio, 1e-6, 1), seed);
    }

    private static double Unchanged(Row r, bool bits, double referenceBits) => bits ? referenceBits : 0;

    // The independent cost model: pruning multiplies (1 − own ratio)(1 − input layer's ratio); bits multiply the cost.
    private static double Cost(Row[] rows, double[] values, bool bits)
    {
        var total = 0.0;
        for (var i = 0; i < rows.Length; i++)
            total += bits ? rows[i].Cost * values[i]
                : rows[i].Cost * (1 - values[i]) * (rows[i].InputFrom >= 0 ? 1 - values[rows[i].InputFrom] : 1);
        return total;
    }

    private static bool Holds(Row[] rows, double ratio, long seed, bool bits)
    {
        var layers = new JsonArray(rows.Select(r =>
        {
            var o = new JsonObject { ["name"] = r.Name, ["kind"] = "conv", ["in"] = 8, ["out"] = 8, ["macs"] = r.Cost, ["params"] = r.Cost, ["searched"] = r.Searched };
            o["input_from"] = r.InputFrom >= 0 ? rows[r.InputFrom].Name : null;
            return (JsonNode)o;
        }).ToArray());
        var space = new SearchSpace(rows.Where(r => r.Searched).Select(r => bits
            ? (Parameter)new IntegerParameter { Name = "bits_" + r.Name, Low = (long)r.Low, High = (long)r.High }
            : new ContinuousParameter { Name = "ratio_" + r.Name, Low = r.Low, High = r.High }).ToList());
        var options = new JsonObject
        {
            ["layers"] = layers,
            ["target"] = new JsonObject { ["metric"] = seed % 2 == 0 ? "macs" : "params", ["ratio"] = ratio },
            ["hidden"] = 8,
            ["warmup_episodes"] = 3,
            ["batch_size"] = 16,
            // A large learning rate and no noise drive the actor to the ends of [0, 1] fast: the clipping must hold there too.
            ["actor_lr"] = 0.05,
            ["sigma"] = seed % 3 == 0 ? 0 : 0.5,
        };
        var context = Synthetic.Context(space, options, seed);
        var referenceBits = bits ? rows.Where(r => r.Searched).Max(r => r.High) : 0;
        var reference = Cost(rows, rows.Select(r => Unchanged(r, bits, referenceBits)).ToArray(), bits);
        var cheapest = Cost(rows, rows.Select(r => !r.Searched ? Unchanged(r, bits, referenceBits) : bits ? r.Low : r.High).ToArray(), bits);
        var budget = ratio * reference;
        if (cheapest > budget)
        {
            var e = Assert.Throws<SearchSpaceException>(() => new AmcStrategy(context, bits ? "haq" : "amc"));
            return e.Message.Contains("cannot be reached", StringComparison.Ordinal);
        }
        using var strategy = new AmcStrategy(context, bits ? "haq" : "amc");
        var random = new SeededRandom(seed);
        for (var episode = 1; episode <= 10; episode++)
        {
            var config = strategy.Ask(1)[0].Config;
            space.Check(config);
            var values = rows.Select(r => r.Searched ? AutoCompress.Search.Strategies.StrategyOptions.AsNumber(config[(bits ? "bits_" : "ratio_") + r.Name])!.Value : Unchanged(r, bits, referenceBits)).ToArray();
            if (Cost(rows, values, bits) > budget) return false;
            // Rewards that favour light compression push the actor against the budget.
            strategy.Tell(Synthetic.Observe(episode, config, 1 - values.Sum() / rows.Length * (bits ? -0.01 : 1) + 0.01 * random.NextDouble()));
        }
        return true;
    }

    [Fact]
    public void Pruning_suggestions_never_exceed_the_budget()
    {
        Prop.ForAll(Tables(bits: false).ToArbitrary(), t => Holds(t.Rows, t.Target, t.Seed, bits: false))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void Bit_width_suggestions_never_exceed_the_budget()
    {
        Prop.ForAll(Tables(bits: true).ToArbitrary(), t => Holds(t.Rows, t.Target, t.Seed, bits: true))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void A_budget_met_exactly_only_at_the_strongest_compression_forces_every_layer_there()
    {
        var layers = Synthetic.Network;
        var options = Runs.SmallOptions(ratio: 0.5);
        var rows = layers.Select((l, i) => new Row(l.Name, l.Macs, l.Searched, i - 1, 0, l.Searched ? 0.8 : 0)).ToArray();
        var strongest = Cost(rows, rows.Select(r => r.High).ToArray(), bits: false) / Cost(rows, new double[rows.Length], bits: false);
        options["target"]!["ratio"] = strongest * (1 + 1e-12);
        using var strategy = Runs.Create(options, 1);
        var config = strategy.Ask(1)[0].Config;
        Assert.All(layers.Where(l => l.Searched), l => Assert.Equal(0.8, config["ratio_" + l.Name]!.GetValue<double>(), 1e-6));
    }
}
