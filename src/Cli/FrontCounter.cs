using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Storage;

namespace AutoCompress.Cli;

/// <summary>
/// The size of an experiment's Pareto front (<see cref="ExperimentFront"/>, as the service's /pareto computes it),
/// recomputed only when the number of completed trials changed, so a live display can ask every refresh.
/// </summary>
internal sealed class FrontCounter(ExperimentStore store, Guid experimentId)
{
    private long seen = -1;
    private int? size;

    public async Task<int?> SizeAsync(long completed, CancellationToken ct)
    {
        if (completed == seen) return size;
        var front = await ExperimentFront.ReadAsync(store, experimentId, ct).ConfigureAwait(false);
        if (front is null) return null;
        (seen, size) = (completed, front.Front.Count);
        return size;
    }
}
