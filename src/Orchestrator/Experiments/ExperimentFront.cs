using AutoCompress.Search.Objectives;
using AutoCompress.Storage;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// An experiment's Pareto front as read from its store: the completed trials at full fidelity (a 1-epoch accuracy
/// does not compete with a 9-epoch one) that keep the spec's constraints, under the spec's objectives. One definition for the API's /pareto, the
/// CLI's summary and the live displays.
/// </summary>
/// <param name="Spec">The experiment's spec (its objectives order the scores).</param>
/// <param name="Front">The non-dominated trials, by sequence number.</param>
/// <param name="Evaluated">Completed full-fidelity trials that had every objective and kept the constraints.</param>
/// <param name="Hypervolume">
/// Hypervolume of the front against the worst value of each objective among the evaluated trials (the nadir of what
/// was seen); null when nothing was evaluated.
/// </param>
public sealed record ExperimentFront(ExperimentSpec Spec, IReadOnlyList<Trial> Front, int Evaluated, double? Hypervolume)
{
    /// <summary>Reads the front of an experiment; null when the experiment does not exist.</summary>
    public static async Task<ExperimentFront?> ReadAsync(ExperimentStore store, Guid experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var experiment = await store.GetExperimentAsync(experimentId, cancellationToken).ConfigureAwait(false);
        if (experiment is null) return null;
        var spec = ExperimentSpec.Parse(experiment.SpecJson);
        var front = new ParetoFront(spec.Objectives, spec.ConstraintSet);
        var trials = new Dictionary<long, Trial>();
        long after = 0;
        while (true)
        {
            var page = await store.QueryTrialsAsync(experimentId,
                new TrialQuery { Statuses = [TrialStatus.Completed], AfterSeq = after, Limit = TrialQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
            foreach (var t in page)
            {
                if (spec.Fidelity is { } f && t.Fidelity < f.Max) continue;
                if (front.Add(t.Seq, t.Metrics)) trials[t.Seq] = t;
            }
            if (page.Count < TrialQuery.MaxLimit) break;
            after = page[^1].Seq;
        }
        double? hypervolume = null;
        if (front.Points.Count > 0)
        {
            var nadir = Enumerable.Range(0, spec.Objectives.Count).Select(i => front.Points.Min(p => p.Scores[i])).ToList();
            hypervolume = front.HypervolumeOfScores(nadir);
        }
        var members = front.Front.Select(p => trials[p.Id]).OrderBy(t => t.Seq).ToList();
        return new ExperimentFront(spec, members, front.Points.Count, hypervolume);
    }
}
