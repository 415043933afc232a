using System.Diagnostics;
using AutoCompress.Contracts.Search;
using AutoCompress.Search.Spaces;
using AutoCompress.Search.Strategies;

namespace AutoCompress.StrategyBench;

/// <summary>What one search run queried, in the order the results came back.</summary>
/// <param name="Cells">Benchmark index of each evaluated cell, in completion order.</param>
/// <param name="Seconds">Wall-clock time of the run (strategy plus lookups).</param>
/// <param name="StoppedEarly">Why the run ended before its budget (the strategy finished or gave nothing to run), or null.</param>
internal sealed record RunTrace(int[] Cells, double Seconds, string? StoppedEarly);

/// <summary>
/// One search: a strategy created by name asks and is told against the table until <c>queries</c> results are in.
/// With <c>batch</c> = 1 it is strictly sequential (ask one, tell it, ask the next); with more, up to <c>batch</c>
/// suggestions are outstanding and results return oldest first, as on a pool of equal workers.
/// </summary>
internal static class SearchRun
{
    public static RunTrace Run(StrategyCatalog catalog, string strategy, TableOracle oracle, IReadOnlyList<Objective> objectives,
        long seed, int queries, int batch, BenchOptions options)
    {
        var watch = Stopwatch.StartNew();
        // "name+dedup+failure_penalty": the strategy wrapped in those middleware layers (their defaults).
        var parts = strategy.Split('+');
        var context = new StrategyContext
        {
            Space = Nb201SearchSpace.Create(),
            Objectives = objectives,
            Seed = seed,
            MaxTrials = queries,
            Options = options.OptionsFor(parts[0]),
        };
        var middleware = new System.Text.Json.Nodes.JsonObject();
        foreach (var layer in parts.Skip(1)) middleware[layer] = true;
        var search = AutoCompress.Search.Middleware.MiddlewareBuilder.Compose(catalog.Create(parts[0], context), context, middleware);
        var cells = new List<int>(queries);
        var outstanding = new Queue<(long Index, Suggestion Suggestion)>();
        long suggested = 0;
        string? stopped = null;
        while (cells.Count < queries)
        {
            var room = (int)Math.Min(batch - outstanding.Count, queries - suggested);
            if (room > 0 && !search.IsFinished)
            {
                var asked = search.Ask(room);
                if (asked.Count > room) throw new InvalidOperationException($"{strategy}: asked for {room} suggestions, got {asked.Count}");
                foreach (var s in asked) outstanding.Enqueue((++suggested, s));
            }
            if (outstanding.Count == 0)
            {
                stopped = search.IsFinished ? $"finished after {cells.Count} queries" : $"suggested nothing after {cells.Count} queries";
                break;
            }
            var (index, suggestion) = outstanding.Dequeue();
            var cell = oracle.Cell(suggestion.Config);
            search.Tell(new Observation(index, suggestion.Config, suggestion.Fidelity, oracle.Visible(cell)));
            cells.Add(cell.Index);
        }
        return new RunTrace(cells.ToArray(), watch.Elapsed.TotalSeconds, stopped);
    }
}
