using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Agents;

/// <summary>
/// DDPG's experience replay: a ring of the most recent transitions with their raw episode rewards. Sampling
/// minibatches from many past episodes decorrelates the critic's updates; the reward baseline is subtracted when a
/// minibatch is drawn (as AMC does), so every stored transition is measured against the same, current baseline.
/// </summary>
public sealed class ReplayBuffer
{
    private readonly double[] states;
    private readonly double[] nextStates;
    private readonly double[] actions;
    private readonly double[] rewards;
    private readonly bool[] done;
    private int position;

    public ReplayBuffer(int capacity, int stateSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateSize);
        (Capacity, StateSize) = (capacity, stateSize);
        states = new double[checked(capacity * stateSize)];
        nextStates = new double[capacity * stateSize];
        actions = new double[capacity];
        rewards = new double[capacity];
        done = new bool[capacity];
    }

    public int Capacity { get; }

    public int StateSize { get; }

    /// <summary>Transitions held (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Stores a transition, overwriting the oldest when full.</summary>
    public void Add(Transition transition, double reward)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.State.Count != StateSize || transition.NextState.Count != StateSize)
            throw new ArgumentException($"a transition's states must have {StateSize} features", nameof(transition));
        for (var k = 0; k < StateSize; k++)
        {
            states[position * StateSize + k] = transition.State[k];
            nextStates[position * StateSize + k] = transition.NextState[k];
        }
        actions[position] = transition.Action;
        rewards[position] = reward;
        done[position] = transition.Done;
        position = (position + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>The state of entry <paramref name="i"/> (storage order).</summary>
    public ReadOnlySpan<double> State(int i) => states.AsSpan(Check(i) * StateSize, StateSize);

    public ReadOnlySpan<double> NextState(int i) => nextStates.AsSpan(Check(i) * StateSize, StateSize);

    public double Action(int i) => actions[Check(i)];

    public double Reward(int i) => rewards[Check(i)];

    public bool Done(int i) => done[Check(i)];

    private int Check(int i) => i >= 0 && i < Count ? i : throw new ArgumentOutOfRangeException(nameof(i), i, $"the buffer holds {Count} transitions");

    public JsonObject Save() => new()
    {
        ["capacity"] = Capacity,
        ["state_size"] = StateSize,
        ["count"] = Count,
        ["position"] = position,
        ["states"] = Packing.Doubles(states.AsSpan(0, Count * StateSize)),
        ["next_states"] = Packing.Doubles(nextStates.AsSpan(0, Count * StateSize)),
        ["actions"] = Packing.Doubles(actions.AsSpan(0, Count)),
        ["rewards"] = Packing.Doubles(rewards.AsSpan(0, Count)),
        ["done"] = Convert.ToBase64String(done.Take(Count).Select(d => d ? (byte)1 : (byte)0).ToArray()),
    };

    /// <summary>Replaces the contents with a saved buffer of the same capacity and state size.</summary>
    public void Restore(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        const string owner = "replay";
        var capacity = StrategyState.RequireLong(state, owner, "capacity");
        var stateSize = StrategyState.RequireLong(state, owner, "state_size");
        if (capacity != Capacity || stateSize != StateSize)
            throw new SearchSpaceException($"agent state: the saved replay buffer holds {capacity} transitions of {stateSize} features, this agent's {Capacity} of {StateSize}");
        var count = (int)StrategyState.RequireLong(state, owner, "count");
        var pos = (int)StrategyState.RequireLong(state, owner, "position");
        if (count < 0 || count > Capacity || pos < 0 || pos >= Capacity)
            throw new SearchSpaceException($"agent state: replay count {count} or position {pos} is out of range");
        var s = Packing.ReadDoubles(state["states"]?.GetValue<string>(), "replay.states");
        var n = Packing.ReadDoubles(state["next_states"]?.GetValue<string>(), "replay.next_states");
        var a = Packing.ReadDoubles(state["actions"]?.GetValue<string>(), "replay.actions");
        var r = Packing.ReadDoubles(state["rewards"]?.GetValue<string>(), "replay.rewards");
        var d = Packing.Decode(state["done"]?.GetValue<string>(), "replay.done");
        if (s.Length != count * StateSize || n.Length != count * StateSize || a.Length != count || r.Length != count || d.Length != count)
            throw new SearchSpaceException($"agent state: the replay arrays do not hold {count} transitions");
        Array.Clear(states);
        Array.Clear(nextStates);
        Array.Clear(actions);
        Array.Clear(rewards);
        Array.Clear(done);
        s.CopyTo(states, 0);
        n.CopyTo(nextStates, 0);
        a.CopyTo(actions, 0);
        r.CopyTo(rewards, 0);
        for (var i = 0; i < count; i++) done[i] = d[i] != 0;
        (Count, position) = (count, pos);
    }
}
