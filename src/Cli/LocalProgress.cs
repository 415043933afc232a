using AutoCompress.Orchestrator.Experiments;

namespace AutoCompress.Cli;

/// <summary>
/// Feeds a <see cref="ProgressDisplay"/> from an in-process <see cref="ExperimentService"/> (`experiment run` and
/// `experiment resume`) until the experiments end: progress from the experiment actors, the front's size from the
/// store, the time left from the rate so far.
/// </summary>
internal static class LocalProgress
{
    public static async Task<ExperimentProgress[]> WatchAsync(ExperimentService service, IReadOnlyList<Guid> ids, ProgressDisplay display,
        CancellationToken cancel)
    {
        var all = Task.WhenAll(ids.Select(id => service.WaitAsync(id, cancel)));
        var estimators = ids.ToDictionary(id => id, _ => new TimeLeftEstimator());
        var fronts = ids.ToDictionary(id => id, id => new FrontCounter(service.Store, id));
        var interval = TimeSpan.FromSeconds(display is LiveProgressDisplay ? 0.5 : 2);
        while (true)
        {
            ExperimentProgress[] progress;
            if (all.IsCompleted) progress = await all.ConfigureAwait(false);
            else
            {
                progress = new ExperimentProgress[ids.Count];
                for (var i = 0; i < ids.Count; i++)
                {
                    progress[i] = await service.GetProgressAsync(ids[i], cancel).ConfigureAwait(false);
                    // An actor that has not read its experiment yet answers with blanks; the store knows the name and budget.
                    if (string.IsNullOrEmpty(progress[i].Name))
                        progress[i] = await ExperimentService.ReadProgressAsync(service.Store, ids[i]).ConfigureAwait(false) ?? progress[i];
                }
            }
            var snapshots = new List<ProgressSnapshot>();
            foreach (var p in progress)
            {
                var front = await fronts[p.ExperimentId].SizeAsync(p.Completed, cancel).ConfigureAwait(false);
                snapshots.Add(new ProgressSnapshot(p, front, estimators[p.ExperimentId].Estimate(p.Completed + p.Failed, p.MaxTrials)));
            }
            display.Show(snapshots, final: all.IsCompleted);
            if (all.IsCompleted) return progress;
            await Task.WhenAny(all, Task.Delay(interval, cancel)).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
        }
    }
}
