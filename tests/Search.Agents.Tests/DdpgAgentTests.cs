using System.Text.Json.Nodes;
using AutoCompress.Torch;

namespace AutoCompress.Search.Agents.Tests;

public class DdpgAgentTests
{
    private static readonly double[] State = [0.5, 0.25];

    // A one-step bandit: the reward peaks at action 0.7.
    private static void Episode(DdpgAgent agent)
    {
        var number = agent.BeginEpisode();
        var action = agent.Explore(State, number);
        agent.Learn([new Transition(State, action, State, true)], 1 - 4 * (action - 0.7) * (action - 0.7));
    }

    private static DdpgOptions Small => new() { Hidden = [32, 32], WarmupEpisodes = 10, UpdatesPerEpisode = 8, BatchSize = 32 };

    // AMC's learning rates (actor 1e-4, critic 1e-3): with a much larger actor rate the sigmoid output runs into
    // saturation before the critic has found the peak, and can stay there.
    [Fact]
    public void The_actor_learns_the_best_action_of_a_bandit()
    {
        using var agent = new DdpgAgent(2, Small, 7);
        var before = agent.Act(State);
        Assert.InRange(before, 0.49, 0.51); // the small output initialisation starts in the middle
        for (var i = 0; i < 240; i++) Episode(agent);
        Assert.InRange(agent.Act(State), 0.62, 0.78);
        Assert.Equal(0.5 * Math.Pow(0.99, 230), agent.Sigma, 12);
    }

    [Fact]
    public void Restoring_the_adam_state_matters_and_is_exact()
    {
        using var original = new DdpgAgent(2, Small, 3);
        for (var i = 0; i < 20; i++) Episode(original);
        var state = original.SaveState();
        using var restored = new DdpgAgent(2, Small, 3);
        restored.RestoreState(state);

        // The same state with the optimizers of a fresh agent: what "restart the optimizer" would give.
        using var fresh = new DdpgAgent(2, Small, 3);
        var freshState = fresh.SaveState();
        var withoutAdam = (JsonObject)state.DeepClone();
        withoutAdam["actor_optimizer"] = freshState["actor_optimizer"]!.DeepClone();
        withoutAdam["critic_optimizer"] = freshState["critic_optimizer"]!.DeepClone();
        using var restarted = new DdpgAgent(2, Small, 3);
        restarted.RestoreState(withoutAdam);

        for (var i = 0; i < 5; i++)
        {
            Episode(original);
            Episode(restored);
            Episode(restarted);
        }
        Assert.Equal(original.Act(State), restored.Act(State));
        Assert.NotEqual(original.Act(State), restarted.Act(State));
        Assert.Equal(original.Updates, restored.Updates);
    }

    [Fact]
    public void The_agent_draws_nothing_from_the_global_generator()
    {
        TorchEngine.ManualSeed(1);
        using (var a = new DdpgAgent(2, Small, 9))
            for (var i = 0; i < 12; i++) Episode(a);
        using var afterAgent = Tensor.Rand([4]);
        TorchEngine.ManualSeed(1);
        using var untouched = Tensor.Rand([4]);
        Assert.Equal(untouched.ToArray<float>(), afterAgent.ToArray<float>());
    }
}
