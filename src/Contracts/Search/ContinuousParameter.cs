using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>A real number in [<see cref="Low"/>, <see cref="High"/>], uniform or log-uniform.</summary>
public sealed record ContinuousParameter : Parameter
{
    public required double Low { get; init; }

    public required double High { get; init; }

    /// <summary>Sample uniformly in log space (learning rates, weight decay).</summary>
    public bool Log { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public override double Cardinality => Low == High ? 1 : double.PositiveInfinity;

    public override JsonNode Sample(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u = random.NextDouble();
        return JsonValue.Create(FromUnit(u));
    }

    public override bool Contains(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && AsDouble(v) is var x && x >= Low && x <= High;

    // A value built in memory (JsonValue.Create(1)) holds an int, which GetValue<double> refuses; a parsed one converts.
    private static double AsDouble(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d : v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : double.NaN;

    public override JsonNode Mutate(JsonNode value, SeededRandom random, double scale = 0.2)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Contains(value)) return Sample(random);
        var u = ToUnit(AsDouble((JsonValue)value)) + random.NextGaussian() * scale;
        u = u < 0 ? -u : u > 1 ? 2 - u : u; // reflect
        return JsonValue.Create(FromUnit(Math.Clamp(u, 0, 1)));
    }

    /// <summary>Maps [0, 1] onto the range (log-scaled when <see cref="Log"/>).</summary>
    public double FromUnit(double u) =>
        Log ? Math.Clamp(Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))), Low, High) : Low + u * (High - Low);

    /// <summary>Maps a value of the range onto [0, 1].</summary>
    public double ToUnit(double x) =>
        High == Low ? 0 : Log ? (Math.Log(x) - Math.Log(Low)) / (Math.Log(High) - Math.Log(Low)) : (x - Low) / (High - Low);

    public override void Validate()
    {
        if (!double.IsFinite(Low) || !double.IsFinite(High)) throw new SearchSpaceException($"parameter '{Name}': low and high must be finite");
        if (High < Low) throw new SearchSpaceException($"parameter '{Name}': high ({High}) is below low ({Low})");
        if (Log && Low <= 0) throw new SearchSpaceException($"parameter '{Name}': a log-scale parameter needs low > 0, got {Low}");
    }
}
