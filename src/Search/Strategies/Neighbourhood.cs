using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>
/// The configurations next to a configuration, for local search: each differs from it in one active parameter.
/// A categorical parameter contributes every other choice; an integer one the values one step below and above and,
/// when its range is wide, a step of <c>scale</c> of the range (in log space for a log-scale integer); a continuous
/// one <c>continuousSteps</c> Gaussian steps of <c>scale</c> of its (log) range. Parameters that depend on the
/// changed one are repaired as <see cref="SearchSpace.Mutate"/> does: kept when still legal, drawn when newly active,
/// dropped when no longer active. Kept apart from <see cref="LocalSearch"/> so the neighbourhood can be tested (and
/// reused) on its own.
/// </summary>
public static class Neighbourhood
{
    /// <summary>The neighbours of <paramref name="config"/>, in space order, without repeats.</summary>
    public static List<JsonObject> Of(SearchSpace space, JsonObject config, SeededRandom random, double scale, int continuousSteps)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(random);
        var result = new List<JsonObject>();
        var keys = new HashSet<string>(StringComparer.Ordinal) { space.Canonical(config) };
        foreach (var p in space.Parameters)
        {
            if (!SearchSpace.IsActive(p, config) || p.Cardinality <= 1) continue;
            config.TryGetPropertyValue(p.Name, out var current);
            foreach (var value in Values(p, current, random, scale, continuousSteps))
            {
                var neighbour = With(space, config, p, value, random);
                if (keys.Add(space.Canonical(neighbour))) result.Add(neighbour);
            }
        }
        return result;
    }

    /// <summary>The values one parameter may move to from <paramref name="current"/>.</summary>
    private static IEnumerable<JsonNode> Values(Parameter p, JsonNode? current, SeededRandom random, double scale, int continuousSteps)
    {
        switch (p)
        {
            case CategoricalParameter c:
                var at = c.IndexOf(current);
                for (var i = 0; i < c.Choices.Count; i++)
                    if (i != at) yield return c.Choices[i].DeepClone();
                break;
            case IntegerParameter n:
                if (current is null || !n.Contains(current))
                {
                    yield return n.Sample(random);
                    break;
                }
                var x = current.GetValue<long>();
                foreach (var v in IntegerSteps(n, x, scale).Distinct())
                    if (v != x && v >= n.Low && v <= n.High) yield return JsonValue.Create(v);
                break;
            case ContinuousParameter r:
                for (var k = 0; k < continuousSteps; k++)
                    yield return current is null ? r.Sample(random) : r.Mutate(current, random, scale);
                break;
            default:
                throw new NotSupportedException($"parameter '{p.Name}': local search does not know {p.GetType().Name}");
        }
    }

    private static IEnumerable<long> IntegerSteps(IntegerParameter n, long x, double scale)
    {
        yield return x - 1;
        yield return x + 1;
        if (scale <= 0) yield break;
        if (n.Log)
        {
            var factor = Math.Exp(scale * (Math.Log(n.High) - Math.Log(n.Low)));
            yield return (long)Math.Round(x / factor);
            yield return (long)Math.Round(x * factor);
        }
        else
        {
            var step = (long)Math.Round(scale * ((double)n.High - n.Low));
            if (step > 1)
            {
                yield return x - step;
                yield return x + step;
            }
        }
    }

    /// <summary><paramref name="config"/> with <paramref name="changed"/> set to <paramref name="value"/>, dependants repaired.</summary>
    private static JsonObject With(SearchSpace space, JsonObject config, Parameter changed, JsonNode value, SeededRandom random)
    {
        var result = new JsonObject();
        foreach (var p in space.Parameters)
        {
            if (!SearchSpace.IsActive(p, result)) continue;
            config.TryGetPropertyValue(p.Name, out var old);
            result[p.Name] = p == changed ? value.DeepClone()
                : old is not null && p.Contains(old) ? old.DeepClone() : p.Sample(random);
        }
        return result;
    }

    /// <summary>
    /// Every configuration of a space without continuous ranges (conditional parameters followed), in a fixed order;
    /// the caller bounds the size first (see <c>SpaceSize.Count</c>).
    /// </summary>
    public static IEnumerable<JsonObject> All(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Enumerate(space.Parameters, 0, new JsonObject());
    }

    private static IEnumerable<JsonObject> Enumerate(IReadOnlyList<Parameter> parameters, int at, JsonObject partial)
    {
        if (at == parameters.Count)
        {
            yield return (JsonObject)partial.DeepClone();
            yield break;
        }
        var p = parameters[at];
        if (!SearchSpace.IsActive(p, partial))
        {
            foreach (var c in Enumerate(parameters, at + 1, partial)) yield return c;
            yield break;
        }
        IEnumerable<JsonNode> values = p switch
        {
            CategoricalParameter c => c.Choices,
            IntegerParameter n => Enumerable.Range(0, (int)n.Cardinality).Select(k => (JsonNode)JsonValue.Create(n.Low + k)),
            ContinuousParameter r when r.Low == r.High => [JsonValue.Create(r.Low)],
            _ => throw new NotSupportedException($"parameter '{p.Name}': a continuous range cannot be enumerated"),
        };
        foreach (var v in values)
        {
            partial[p.Name] = v.DeepClone();
            foreach (var c in Enumerate(parameters, at + 1, partial)) yield return c;
        }
        partial.Remove(p.Name);
    }
}
