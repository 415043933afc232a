using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// How many distinct configurations a space has, so that deduplication can tell when it is exhausted. Exact for
/// spaces without continuous ranges that have at most <see cref="EnumerationLimit"/> configurations (conditional
/// spaces are enumerated); +infinity otherwise, which only means "too many to run out of".
/// </summary>
public static class SpaceSize
{
    public const double EnumerationLimit = 1_000_000;

    public static double Count(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var bound = 1.0;
        foreach (var p in space.Parameters) bound *= p.Cardinality;
        if (double.IsInfinity(bound) || bound > EnumerationLimit) return double.PositiveInfinity;
        if (space.Parameters.All(p => p.When is null)) return bound;
        return Enumerate(space.Parameters, 0, new JsonObject());
    }

    private static double Enumerate(IReadOnlyList<Parameter> parameters, int at, JsonObject partial)
    {
        if (at == parameters.Count) return 1;
        var p = parameters[at];
        if (!SearchSpace.IsActive(p, partial)) return Enumerate(parameters, at + 1, partial);
        var total = 0.0;
        foreach (var value in Values(p))
        {
            partial[p.Name] = value;
            total += Enumerate(parameters, at + 1, partial);
        }
        partial.Remove(p.Name);
        return total;
    }

    private static IEnumerable<JsonNode> Values(Parameter p) => p switch
    {
        CategoricalParameter c => c.Choices.Select(v => v.DeepClone()),
        IntegerParameter i => Enumerable.Range(0, (int)i.Cardinality).Select(k => (JsonNode)JsonValue.Create(i.Low + k)),
        ContinuousParameter c => [JsonValue.Create(c.Low)],
        _ => throw new NotSupportedException($"parameter '{p.Name}': {p.GetType().Name}"),
    };
}
