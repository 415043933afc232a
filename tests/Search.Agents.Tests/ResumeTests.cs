using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Agents.Tests;

public class ResumeTests
{
    [Fact]
    public void Restoring_a_checkpoint_continues_exactly_as_the_uninterrupted_run()
    {
        var options = Runs.SmallOptions();
        using var uninterrupted = Runs.Create(options, seed: 11);
        long a = 0;
        var expected = Runs.Play(uninterrupted, ref a, 14, batch: 3);
        // Leave two episodes pending across the checkpoint: asked, not yet told.
        var open = uninterrupted.Ask(2);
        var expectedAfter = new List<string>(open.Select(s => s.Config.ToJsonString()));
        uninterrupted.Tell(Synthetic.Observe(a + 2, open[1].Config, Synthetic.Accuracy(Synthetic.Network, open[1].Config)));

        using var first = Runs.Create(options, seed: 11);
        long b = 0;
        Assert.Equal(expected, Runs.Play(first, ref b, 14, batch: 3));
        var open2 = first.Ask(2);
        Assert.Equal(expectedAfter, open2.Select(s => s.Config.ToJsonString()));
        first.Tell(Synthetic.Observe(b + 2, open2[1].Config, Synthetic.Accuracy(Synthetic.Network, open2[1].Config)));
        Assert.True(first.Agent.Updates > 0, "the run must be past the warm-up, so the checkpoint holds trained networks and Adam state");
        Assert.Equal(1, first.Pending);
        var text = first.SaveState().ToJsonString(); // through text, as the orchestrator stores it

        using var resumed = Runs.Create(options, seed: 11);
        resumed.RestoreState(JsonNode.Parse(text)!.AsObject());
        Assert.Equal(Comparable(text), Comparable(resumed.SaveState().ToJsonString()));

        // The pending episode is told after the restore, then both continue.
        foreach (var s in new[] { uninterrupted, resumed })
            s.Tell(Synthetic.Observe(a + 1, open[0].Config, Synthetic.Accuracy(Synthetic.Network, open[0].Config)));
        long c = a + 2, d = a + 2;
        var tail = Runs.Play(uninterrupted, ref c, 12, batch: 2);
        Assert.Equal(tail, Runs.Play(resumed, ref d, 12, batch: 2));
        Assert.Equal(Comparable(uninterrupted.SaveState().ToJsonString()), Comparable(resumed.SaveState().ToJsonString()));
    }

    // libtorch's optimizer archive names each parameter's state by its tensor's address, so two agents in identical
    // states write different bytes there; everything else must match to the bit. (That the Adam state itself is
    // restored shows in the identical continuation, and in DdpgAgentTests.)
    private static string Comparable(string state)
    {
        var o = JsonNode.Parse(state)!.AsObject();
        var agent = o["agent"]!.AsObject();
        agent.Remove("actor_optimizer");
        agent.Remove("critic_optimizer");
        return o.ToJsonString();
    }

    [Fact]
    public void The_same_seed_replays_the_same_search_and_another_seed_does_not()
    {
        var options = Runs.SmallOptions();
        List<string> Run(long seed)
        {
            using var s = Runs.Create(options, seed);
            long i = 0;
            return Runs.Play(s, ref i, 10, batch: 1);
        }
        var once = Run(5);
        Assert.Equal(once, Run(5));
        Assert.NotEqual(once, Run(6));
    }

    [Fact]
    public void A_haq_search_resumes_exactly_too()
    {
        var layers = Synthetic.Network;
        var options = Synthetic.Options(layers, ratio: 0.6, metric: "params");
        options["hidden"] = 16;
        options["warmup_episodes"] = 2;
        var space = Synthetic.BitSpace(layers);
        List<string> Play(AmcStrategy s, long from, int count)
        {
            var seen = new List<string>();
            for (var i = 1; i <= count; i++)
            {
                var config = s.Ask(1)[0].Config;
                seen.Add(config.ToJsonString());
                var accuracy = 1 - layers.Where(l => l.Searched).Sum(l => l.Sensitivity / config["bits_" + l.Name]!.GetValue<long>());
                s.Tell(Synthetic.Observe(from + i, config, accuracy));
            }
            return seen;
        }
        using var whole = new AmcStrategy(Synthetic.Context(space, options, 3), AmcStrategy.HaqName);
        var expected = Play(whole, 0, 12);
        using var part = new AmcStrategy(Synthetic.Context(space, options, 3), AmcStrategy.HaqName);
        var got = Play(part, 0, 6);
        using var resumed = new AmcStrategy(Synthetic.Context(space, options, 3), AmcStrategy.HaqName);
        resumed.RestoreState(JsonNode.Parse(part.SaveState().ToJsonString())!.AsObject());
        got.AddRange(Play(resumed, 6, 6));
        Assert.Equal(expected, got);
    }

    [Fact]
    public void A_state_from_another_strategy_or_layer_table_is_refused()
    {
        using var amc = Runs.Create(Runs.SmallOptions(), 1);
        var state = amc.SaveState();
        var haqOptions = Synthetic.Options(Synthetic.Network, 0.6);
        haqOptions["hidden"] = 32;
        using var haq = new AmcStrategy(Synthetic.Context(Synthetic.BitSpace(Synthetic.Network), haqOptions, 1), AmcStrategy.HaqName);
        Assert.Contains("saved by 'amc'", Assert.Throws<SearchSpaceException>(() => haq.RestoreState(state)).Message, StringComparison.Ordinal);
        using var wider = Runs.Create(Runs.SmallOptions(hidden: 48), 1);
        Assert.Contains("shape", Assert.Throws<SearchSpaceException>(() => wider.RestoreState(state)).Message, StringComparison.Ordinal);
    }
}
