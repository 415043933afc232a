using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Middleware;

/// <summary>
/// A strategy wrapped around another to add one cross-cutting behaviour (deduplication, failure penalty, constraint
/// filter, median stopping, reward) without each strategy implementing it. It is itself a strategy, so wrappers
/// stack; its saved state holds its own part and the inner strategy's state under "inner".
/// <para>
/// Numbering: each layer numbers the suggestions it returns 1, 2, 3, ... (that is what the layer above, or the
/// orchestrator, puts in <see cref="Observation.Index"/>); a layer that drops or adds suggestions translates between
/// its own numbers and the inner strategy's, including <see cref="Suggestion.ParentIndex"/>.
/// </para>
/// </summary>
public abstract class StrategyMiddleware : SearchStrategy
{
    protected StrategyMiddleware(SearchStrategy inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The wrapped strategy.</summary>
    public SearchStrategy Inner { get; }

    /// <summary>The name written to the saved state ("dedup", "failure_penalty", ...).</summary>
    public abstract string Kind { get; }

    public override bool IsFinished => Inner.IsFinished;

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The first layer of type <typeparamref name="T"/> from <paramref name="strategy"/> inwards, or null.</summary>
    public static T? Find<T>(SearchStrategy? strategy) where T : SearchStrategy
    {
        for (var s = strategy; s is not null; s = (s as StrategyMiddleware)?.Inner)
            if (s is T found) return found;
        return null;
    }

    public sealed override JsonObject SaveState()
    {
        var state = new JsonObject { ["middleware"] = Kind };
        SaveOwn(state);
        state["inner"] = Inner.SaveState();
        return state;
    }

    public sealed override void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var saved = state["middleware"]?.GetValue<string>();
        if (saved != Kind) throw new SearchSpaceException($"middleware '{Kind}': cannot restore a state saved by '{saved ?? "unknown"}'");
        var inner = state["inner"] as JsonObject ?? throw new SearchSpaceException($"middleware '{Kind}': saved state has no 'inner'");
        RestoreOwn(state);
        Inner.RestoreState(inner);
    }

    /// <summary>Adds this layer's own state to <paramref name="state"/>.</summary>
    protected abstract void SaveOwn(JsonObject state);

    /// <summary>Restores this layer's own state from what <see cref="SaveOwn"/> wrote.</summary>
    protected abstract void RestoreOwn(JsonObject state);
}
