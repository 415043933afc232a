using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Tests;

/// <summary>A strategy that suggests a fixed script (then repeats its last entry) and records what it is told.</summary>
internal sealed class ScriptedStrategy(params Suggestion[] script) : SearchStrategy
{
    private int next;

    public List<Observation> Told { get; } = [];

    public int Asked { get; private set; }

    public static Suggestion S(string p0, double fidelity = 1, long? parent = null) =>
        new(new JsonObject { ["p0"] = p0 }, fidelity, parent);

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        Asked++;
        var result = new List<Suggestion>();
        for (var i = 0; i < max; i++) result.Add(script[Math.Min(next++, script.Length - 1)] with { });
        return result.Select(s => s with { Config = (JsonObject)s.Config.DeepClone() }).ToList();
    }

    public override void Tell(Observation observation) => Told.Add(observation);

    public override JsonObject SaveState() => new() { ["next"] = next };

    public override void RestoreState(JsonObject state) => next = state["next"]!.GetValue<int>();
}
