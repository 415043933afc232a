using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>One of a list of values (strings, numbers or booleans).</summary>
public sealed record CategoricalParameter : Parameter
{
    public required IReadOnlyList<JsonNode> Choices { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public override double Cardinality => Choices.Count;

    public override JsonNode Sample(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Choices[random.NextInt(Choices.Count)].DeepClone();
    }

    /// <summary>The position of <paramref name="value"/> among the choices, or -1.</summary>
    public int IndexOf(JsonNode? value)
    {
        for (var i = 0; i < Choices.Count; i++)
            if (JsonNode.DeepEquals(Choices[i], value)) return i;
        return -1;
    }

    public override bool Contains(JsonNode? value) => IndexOf(value) >= 0;

    public override JsonNode Mutate(JsonNode value, SeededRandom random, double scale = 0.2)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Choices.Count == 1) return Choices[0].DeepClone();
        var current = IndexOf(value);
        var next = random.NextInt(Choices.Count - 1);
        if (current >= 0 && next >= current) next++;
        return Choices[next].DeepClone();
    }

    public override void Validate()
    {
        if (Choices is null || Choices.Count == 0) throw new SearchSpaceException($"parameter '{Name}': a categorical parameter needs at least one choice");
        for (var i = 0; i < Choices.Count; i++)
        {
            if (Choices[i] is not JsonValue)
                throw new SearchSpaceException($"parameter '{Name}': choice {i} must be a string, number or boolean");
            for (var j = 0; j < i; j++)
                if (JsonNode.DeepEquals(Choices[i], Choices[j]))
                    throw new SearchSpaceException($"parameter '{Name}': choice {Choices[i].ToJsonString()} is listed twice");
        }
    }
}
