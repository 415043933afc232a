using System.Text.Json.Nodes;

namespace AutoCompress.Search.Agents.Tests;

/// <summary>Drives a strategy on the synthetic problem.</summary>
internal static class Runs
{
    /// <summary>Small networks keep tests fast; the algorithm is the same at AMC's 300-300.</summary>
    public static JsonObject SmallOptions(double ratio = 0.5, int hidden = 32, int warmup = 3)
    {
        var o = Synthetic.Options(Synthetic.Network, ratio);
        o["hidden"] = hidden;
        o["warmup_episodes"] = warmup;
        return o;
    }

    public static AmcStrategy Create(JsonObject options, long seed) =>
        new(Synthetic.Context(Synthetic.RatioSpace(Synthetic.Network), options, seed));

    /// <summary>
    /// Asks in batches of <paramref name="batch"/> and tells each batch's results in reverse order (as if the later
    /// trials finished first); returns the configurations as JSON text, in suggestion order.
    /// </summary>
    public static List<string> Play(AmcStrategy strategy, ref long index, int episodes, int batch)
    {
        var seen = new List<string>();
        var done = 0;
        while (done < episodes)
        {
            var suggestions = strategy.Ask(Math.Min(batch, episodes - done));
            var first = index + 1;
            index += suggestions.Count;
            for (var k = suggestions.Count - 1; k >= 0; k--)
            {
                var config = suggestions[k].Config;
                strategy.Tell(Synthetic.Observe(first + k, config, Synthetic.Accuracy(Synthetic.Network, config)));
            }
            seen.AddRange(suggestions.Select(s => s.Config.ToJsonString()));
            done += suggestions.Count;
        }
        return seen;
    }

    /// <summary>The best accuracy proxy over <paramref name="episodes"/> sequential episodes.</summary>
    public static double Best(JsonObject options, long seed, int episodes)
    {
        using var strategy = Create(options, seed);
        var best = double.NegativeInfinity;
        for (var i = 1; i <= episodes; i++)
        {
            var config = strategy.Ask(1)[0].Config;
            var accuracy = Synthetic.Accuracy(Synthetic.Network, config);
            best = Math.Max(best, accuracy);
            strategy.Tell(Synthetic.Observe(i, config, accuracy));
        }
        return best;
    }
}
