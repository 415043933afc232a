using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>
/// Random search, the baseline every other strategy must beat: each suggestion is drawn independently and uniformly
/// from the space. Its whole state is the random generator and the count of suggestions, so it resumes exactly.
/// </summary>
public sealed class RandomSearch : SearchStrategy
{
    private readonly SearchSpace space;
    private SeededRandom random;
    private long suggested;

    public RandomSearch(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        StrategyOptions.RejectUnknown(context.Options, "random");
        space = context.Space;
        random = new SeededRandom(context.Seed);
    }

    /// <summary>How many suggestions have been made.</summary>
    public long Suggested => suggested;

    public override IReadOnlyList<Suggestion> Ask(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var result = new List<Suggestion>(max);
        for (var i = 0; i < max; i++)
        {
            result.Add(new Suggestion(space.Sample(random)));
            suggested++;
        }
        return result;
    }

    public override void Tell(Observation observation) => ArgumentNullException.ThrowIfNull(observation);

    public override JsonObject SaveState() => new()
    {
        ["strategy"] = "random",
        ["random"] = StrategyOptions.SaveRandom(random),
        ["suggested"] = suggested,
    };

    public override void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StrategyOptions.ExpectStrategy(state, "random");
        random = StrategyOptions.RestoreRandom(state["random"]);
        suggested = state["suggested"]?.GetValue<long>() ?? throw new SearchSpaceException("random: state has no 'suggested'");
    }
}
