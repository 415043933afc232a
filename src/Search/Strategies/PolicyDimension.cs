using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>
/// The finite set of values a softmax policy chooses from for one parameter: a categorical parameter's choices; an
/// integer parameter's values when there are at most <c>bins</c> of them, otherwise <c>bins</c> values spread
/// evenly (log-evenly for a log-scale parameter) over the range; a continuous parameter's <c>bins</c> bin centres.
/// A value of the parameter maps back to the nearest of these, so results for configurations from elsewhere (a
/// duplicate told back by middleware) still teach the policy.
/// </summary>
public sealed class PolicyDimension
{
    private readonly double[] positions;

    private PolicyDimension(Parameter parameter, IReadOnlyList<JsonNode> values, double[] positions)
    {
        Parameter = parameter;
        Values = values;
        this.positions = positions;
    }

    public Parameter Parameter { get; }

    /// <summary>The values the policy chooses among.</summary>
    public IReadOnlyList<JsonNode> Values { get; }

    public static PolicyDimension For(Parameter parameter, int bins)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        switch (parameter)
        {
            case CategoricalParameter c:
                return new PolicyDimension(c, c.Choices.Select(v => v.DeepClone()).ToList(), []);
            case IntegerParameter p:
            {
                IEnumerable<long> values;
                if (p.Cardinality <= bins) values = Enumerable.Range(0, (int)p.Cardinality).Select(k => p.Low + k);
                else
                {
                    var (lo, hi) = p.Log ? (Math.Log(p.Low - 0.5), Math.Log(p.High + 0.5)) : (p.Low - 0.5, p.High + 0.5);
                    values = Enumerable.Range(0, bins)
                        .Select(k => lo + (k + 0.5) / bins * (hi - lo))
                        .Select(x => Math.Clamp((long)Math.Round(p.Log ? Math.Exp(x) : x), p.Low, p.High))
                        .Distinct();
                }
                var list = values.ToList();
                return new PolicyDimension(p, list.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
                    list.Select(v => p.Log ? Math.Log(v) : v).Select(v => (double)v).ToArray());
            }
            case ContinuousParameter p:
            {
                var count = p.Low == p.High ? 1 : bins;
                var list = Enumerable.Range(0, count).Select(k => p.FromUnit((k + 0.5) / count)).ToList();
                return new PolicyDimension(p, list.Select(v => (JsonNode)JsonValue.Create(v)).ToList(), list.Select(p.ToUnit).ToArray());
            }
            default:
                throw new SearchSpaceException($"parameter '{parameter.Name}': {parameter.GetType().Name} is not supported by a softmax policy");
        }
    }

    /// <summary>The position of the value in <see cref="Values"/> that <paramref name="value"/> is (or is nearest to), or -1.</summary>
    public int ActionOf(JsonNode? value)
    {
        switch (Parameter)
        {
            case CategoricalParameter c:
                return c.IndexOf(value);
            case IntegerParameter p when p.Contains(value):
            {
                var x = (double)value!.GetValue<long>();
                return Nearest(p.Log ? Math.Log(x) : x);
            }
            case ContinuousParameter p when p.Contains(value):
                return Nearest(p.ToUnit(StrategyOptions.AsNumber(value)!.Value));
            default:
                return -1;
        }
    }

    private int Nearest(double x)
    {
        var best = 0;
        for (var k = 1; k < positions.Length; k++)
            if (Math.Abs(positions[k] - x) < Math.Abs(positions[best] - x)) best = k;
        return best;
    }
}
