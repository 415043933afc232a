using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AutoCompress.Contracts.Search;

/// <summary>
/// One dimension of a search space. A parameter with a <see cref="When"/> condition exists only while its parent
/// parameter has one of the listed values (a bit width only when the method is quantization); an inactive parameter is
/// left out of the configuration altogether.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(CategoricalParameter), "categorical")]
[JsonDerivedType(typeof(IntegerParameter), "integer")]
[JsonDerivedType(typeof(ContinuousParameter), "continuous")]
public abstract record Parameter
{
    /// <summary>The key in the configuration object.</summary>
    public required string Name { get; init; }

    /// <summary>When set, the parameter is active only if this condition holds.</summary>
    public Condition? When { get; init; }

    /// <summary>A value drawn uniformly (log-uniformly where asked).</summary>
    public abstract JsonNode Sample(SeededRandom random);

    /// <summary>Whether <paramref name="value"/> is a legal value of this parameter.</summary>
    public abstract bool Contains(JsonNode? value);

    /// <summary>
    /// A nearby legal value, for evolutionary mutation: another choice, a neighbouring integer, a Gaussian step in
    /// (log) space scaled by <paramref name="scale"/> of the range.
    /// </summary>
    public abstract JsonNode Mutate(JsonNode value, SeededRandom random, double scale = 0.2);

    /// <summary>How many values the parameter has (infinity for a continuous one).</summary>
    [JsonIgnore]
    public abstract double Cardinality { get; }

    /// <summary>Throws a <see cref="SearchSpaceException"/> naming the parameter when its definition is inconsistent.</summary>
    public abstract void Validate();
}

/// <summary>A parameter is active when the parameter named <see cref="Parameter"/> has one of the values <see cref="In"/>.</summary>
public sealed record Condition(string Parameter, IReadOnlyList<JsonNode> In)
{
    public bool Holds(JsonNode? parentValue) => parentValue is not null && In.Any(v => JsonNode.DeepEquals(v, parentValue));
}
