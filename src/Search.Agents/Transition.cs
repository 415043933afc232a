namespace AutoCompress.Search.Agents;

/// <summary>One step of an episode: the state seen, the action taken (in [0, 1]), the next state, and whether it ended the episode.</summary>
public sealed record Transition(IReadOnlyList<double> State, double Action, IReadOnlyList<double> NextState, bool Done);
