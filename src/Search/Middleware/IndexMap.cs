using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Strategies;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// The translation between a middleware's own suggestion numbers (outer) and its inner strategy's (inner), for
/// layers that do not pass every inner suggestion on. Inner number 0 marks an outer suggestion the inner strategy
/// never made (a fallback drawn by the middleware itself).
/// </summary>
public sealed class IndexMap
{
    private readonly Dictionary<long, long> outerToInner = [];
    private readonly Dictionary<long, long> innerToOuter = [];

    /// <summary>Suggestions returned by the middleware.</summary>
    public long OuterCount { get; private set; }

    /// <summary>Suggestions received from the inner strategy.</summary>
    public long InnerCount { get; private set; }

    /// <summary>Counts one more inner suggestion and returns its number.</summary>
    public long NextInner() => ++InnerCount;

    /// <summary>Passes inner suggestion <paramref name="inner"/> (0: none) on; returns its outer number.</summary>
    public long Accept(long inner)
    {
        var outer = ++OuterCount;
        outerToInner[outer] = inner;
        if (inner > 0) innerToOuter[inner] = outer;
        return outer;
    }

    /// <summary>Records that inner suggestion <paramref name="inner"/> stands for outer trial <paramref name="outer"/> (a duplicate).</summary>
    public void Alias(long inner, long outer) => innerToOuter[inner] = outer;

    /// <summary>The inner number of outer suggestion <paramref name="outer"/> (0 for a fallback); throws for an unknown one.</summary>
    public long InnerOf(long outer, string owner) =>
        outerToInner.TryGetValue(outer, out var inner) ? inner
            : throw new ArgumentException($"middleware '{owner}': observation {outer} is not a suggestion it made (it has made {OuterCount})");

    /// <summary>The suggestion as passed on: a cloned configuration and the parent translated to outer numbers.</summary>
    public Suggestion Translate(Suggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        long? parent = suggestion.ParentIndex is { } p && innerToOuter.TryGetValue(p, out var o) ? o : null;
        return suggestion with { Config = (JsonObject)suggestion.Config.DeepClone(), ParentIndex = parent };
    }

    public JsonObject Save() => new()
    {
        ["outer_count"] = OuterCount,
        ["inner_count"] = InnerCount,
        ["outer_to_inner"] = Pairs(outerToInner),
        ["inner_to_outer"] = Pairs(innerToOuter),
    };

    private static JsonArray Pairs(Dictionary<long, long> map) =>
        new(map.OrderBy(kv => kv.Key).Select(kv => (JsonNode)new JsonArray(kv.Key, kv.Value)).ToArray());

    public void Restore(JsonObject? state, string owner)
    {
        if (state is null) throw new SearchSpaceException($"middleware '{owner}': saved state has no 'index_map'");
        var outerCount = StrategyState.RequireLong(state, owner, "outer_count");
        var innerCount = StrategyState.RequireLong(state, owner, "inner_count");
        var o2i = ReadPairs(state, owner, "outer_to_inner");
        var i2o = ReadPairs(state, owner, "inner_to_outer");
        (OuterCount, InnerCount) = (outerCount, innerCount);
        outerToInner.Clear();
        innerToOuter.Clear();
        foreach (var (k, v) in o2i) outerToInner[k] = v;
        foreach (var (k, v) in i2o) innerToOuter[k] = v;
    }

    private static List<(long, long)> ReadPairs(JsonObject state, string owner, string member) =>
        StrategyState.RequireArray(state, owner, member).Select(n => n is JsonArray { Count: 2 } a
            ? ((long)StrategyOptions.AsNumber(a[0])!.Value, (long)StrategyOptions.AsNumber(a[1])!.Value)
            : throw new SearchSpaceException($"middleware '{owner}': saved '{member}' holds something that is not a pair")).ToList();
}
