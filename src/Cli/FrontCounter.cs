using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Search.Objectives;
using AutoCompress.Storage;

namespace AutoCompress.Cli;

/// <summary>
/// The size of an experiment's Pareto front, read from the store the way the service's /pareto endpoint computes it:
/// completed trials at full fidelity, under the spec's objectives. Recomputed only when the number of completed trials
/// changed, so a live display can ask every refresh.
/// </summary>
internal sealed class FrontCounter(ExperimentStore store, Guid experimentId)
{
    private ExperimentSpec? spec;
    private long seen = -1;
    private int? size;

    public async Task<int?> SizeAsync(long completed, CancellationToken ct)
    {
        if (completed == seen) return size;
        if (spec is null)
        {
            var experiment = await store.GetExperimentAsync(experimentId, ct).ConfigureAwait(false);
            if (experiment is null) return null;
            spec = ExperimentSpec.Parse(experiment.SpecJson);
        }
        var front = new ParetoFront(spec.Objectives);
        long after = 0;
        while (true)
        {
            var page = await store.QueryTrialsAsync(experimentId,
                new TrialQuery { Statuses = [TrialStatus.Completed], AfterSeq = after, Limit = TrialQuery.MaxLimit }, ct).ConfigureAwait(false);
            foreach (var t in page)
                if (spec.Fidelity is not { } f || t.Fidelity >= f.Max) front.Add(t.Seq, t.Metrics);
            if (page.Count < TrialQuery.MaxLimit) break;
            after = page[^1].Seq;
        }
        (seen, size) = (completed, front.Front.Count);
        return size;
    }
}
