using System.Text.Json.Nodes;

namespace AutoCompress.Contracts.Search;

/// <summary>
/// A search strategy in ask/tell form: the orchestrator asks for configurations when it has room to run them, and
/// tells the strategy each result as it arrives, in whatever order trials finish. The strategy never runs anything
/// itself, which is what lets one experiment actor own it, checkpoint it after every change and resume it exactly.
/// <para>
/// Numbering: the orchestrator records every suggestion as a trial, in order, so the n-th suggestion a strategy has
/// ever returned (1-based, counted across Ask calls and across restarts) is <see cref="Observation.Index"/> n.
/// </para>
/// <para>
/// Determinism: all randomness comes from the seed in <see cref="StrategyContext"/> (use <see cref="SeededRandom"/>),
/// and <see cref="SaveState"/> must capture everything (population, random state, network weights), so that
/// restoring and continuing gives the same suggestions as never having stopped.
/// </para>
/// </summary>
public abstract class SearchStrategy : IDisposable
{
    /// <summary>
    /// Up to <paramref name="max"/> new suggestions. Fewer (or none) when the strategy needs results first or is
    /// finished; the orchestrator asks again after the next <see cref="Tell"/>.
    /// </summary>
    public abstract IReadOnlyList<Suggestion> Ask(int max);

    /// <summary>The result (or failure) of an earlier suggestion.</summary>
    public abstract void Tell(Observation observation);

    /// <summary>True when the strategy will suggest nothing more (its own budget is spent).</summary>
    public virtual bool IsFinished => false;

    /// <summary>The whole state as JSON (the orchestrator stores it with the results it has been told).</summary>
    public abstract JsonObject SaveState();

    /// <summary>Continues from a state produced by <see cref="SaveState"/> of the same strategy and context.</summary>
    public abstract void RestoreState(JsonObject state);

    /// <summary>
    /// Frees what the strategy holds outside the managed heap (an agent's native tensors). The orchestrator disposes
    /// the strategy when its experiment stops; wrappers dispose the strategy they wrap.
    /// </summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to free native resources; the base holds none.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
