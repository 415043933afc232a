using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>An integer in [<see cref="Low"/>, <see cref="High"/>], uniform or log-uniform.</summary>
public sealed record IntegerParameter : Parameter
{
    public required long Low { get; init; }

    public required long High { get; init; }

    /// <summary>Sample uniformly in log space (channel counts, batch sizes).</summary>
    public bool Log { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public override double Cardinality => (double)High - Low + 1;

    public override JsonNode Sample(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Log) return JsonValue.Create(random.NextLong(Low, High));
        // Log-uniform over [Low - 0.5, High + 0.5], rounded, so every integer gets the mass of its interval.
        var (lo, hi) = (Math.Log(Low - 0.5), Math.Log(High + 0.5));
        var x = Math.Exp(lo + random.NextDouble() * (hi - lo));
        return JsonValue.Create(Math.Clamp((long)Math.Round(x), Low, High));
    }

    public override bool Contains(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= Low && n <= High;

    public override JsonNode Mutate(JsonNode value, SeededRandom random, double scale = 0.2)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Low == High || !Contains(value)) return Sample(random);
        var current = value.GetValue<long>();
        var step = Math.Max(1, (long)Math.Round(Math.Abs(random.NextGaussian()) * scale * (High - Low)));
        var next = random.NextInt(2) == 0 ? current - step : current + step;
        if (next < Low || next > High) next = current - (next - current); // reflect off the bound
        return JsonValue.Create(Math.Clamp(next, Low, High));
    }

    public override void Validate()
    {
        if (High < Low) throw new SearchSpaceException($"parameter '{Name}': high ({High}) is below low ({Low})");
        if (Log && Low <= 0) throw new SearchSpaceException($"parameter '{Name}': a log-scale integer needs low > 0, got {Low}");
    }
}
