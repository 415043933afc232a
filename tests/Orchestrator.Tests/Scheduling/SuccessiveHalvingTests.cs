using AutoCompress.Orchestrator.Scheduling;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>Synchronous successive halving: rung sizes, the barrier between rungs, ties and failures.</summary>
public sealed class SuccessiveHalvingTests
{
    private static SuccessiveHalving Sh(int n = 9, double r = 1, double big = 9, double eta = 3, OptimizationDirection direction = OptimizationDirection.Minimize) =>
        new(new SuccessiveHalvingOptions { Direction = direction, Configurations = n, MinResource = r, MaxResource = big, Eta = eta });

    // A monotone objective: configuration quality plus a term that shrinks with resource, so every rung ranks alike.
    private static readonly double[] Quality = [0.7, 0.2, 0.9, 0.4, 0.05, 0.6, 0.3, 0.8, 0.5];

    private static double Loss(FidelityJob job) => Quality[job.ConfigurationId - 1] + 1 / job.Resource;

    [Fact]
    public void Nine_configurations_with_eta_3_keep_3_then_1_and_the_survivor_is_the_best()
    {
        var sh = Sh();
        var sim = new WorkerSimulation(sh, workers: 4, j => Loss(j), j => j.Resource).RunToEnd();

        Assert.True(sim.Finished);
        Assert.Equal(new[] { 1.0, 3, 9 }, sh.Resources);
        var rungs = sh.Rungs;
        Assert.Equal(new[] { 9, 3, 1 }, rungs.Select(r => r.Trials.Count));
        // Rung 1 holds the three best configurations (ids of 0.05, 0.2, 0.3), rung 2 the best one.
        Assert.Equal(new[] { 2, 5, 7 }, rungs[1].Trials.Select(t => t.ConfigurationId).Order());
        Assert.Equal(5, Assert.Single(rungs[2].Trials).ConfigurationId);
        Assert.Equal(5, sh.Best!.ConfigurationId);
        Assert.Equal(rungs[2].Trials[0], sh.Best);
        Assert.Equal(0.05 + 1.0 / 9, sh.Best.Objective);
        Assert.Equal(sh.Best, Assert.Single(sh.ReachedTop));
        // Each promotion is a new trial whose parent is the same configuration one rung lower.
        foreach (var t in rungs[1].Trials.Concat(rungs[2].Trials))
        {
            var parent = sh.Rungs[t.Rung - 1].Trials.Single(p => p.Key == t.ParentKey);
            Assert.Equal(t.ConfigurationId, parent.ConfigurationId);
        }
        Assert.Equal(rungs[1].Trials.Select(t => t.ParentKey!.Value), rungs[0].Promoted);
        Assert.Equal(9 * 1 + 3 * 3 + 1 * 9, sim.Resource);
        Assert.Empty(sh.InFlight);
    }

    [Fact]
    public void A_rung_is_decided_only_when_all_its_trials_reported()
    {
        var sh = Sh();
        var jobs = Enumerable.Range(0, 9).Select(_ => sh.NextJob().Job!).ToList();
        Assert.All(jobs, j => Assert.True(j.IsNewConfiguration && j.Rung == 0 && j.Resource == 1 && j.ParentResource is null));
        Assert.Equal(Enumerable.Range(1, 9), jobs.Select(j => j.ConfigurationId));
        Assert.Equal(SchedulerDecisionKind.Wait, sh.NextJob().Kind);
        foreach (var j in jobs.Take(8)) sh.Report(j.TrialKey, 0, Loss(j));
        Assert.Equal(SchedulerDecisionKind.Wait, sh.NextJob().Kind); // one missing: the rung waits for it
        Assert.Equal(jobs[8], Assert.Single(sh.InFlight));
        sh.Report(jobs[8].TrialKey, 0, Loss(jobs[8]));

        // Promotions are handed out best first, all three without waiting for each other.
        var promoted = Enumerable.Range(0, 3).Select(_ => sh.NextJob().Job!).ToList();
        Assert.Equal(new[] { 5, 2, 7 }, promoted.Select(j => j.ConfigurationId));
        Assert.All(promoted, j => Assert.Equal((1, 3.0, 1.0), (j.Rung, j.Resource, j.ParentResource!.Value)));
        Assert.Equal(jobs[4].TrialKey, promoted[0].ParentTrialKey);
        Assert.Equal(SchedulerDecisionKind.Wait, sh.NextJob().Kind);
    }

    [Theory]
    [InlineData(OptimizationDirection.Minimize)]
    [InlineData(OptimizationDirection.Maximize)]
    public void Ties_are_broken_by_the_earlier_trial(OptimizationDirection direction)
    {
        var sh = Sh(direction: direction);
        var sim = new WorkerSimulation(sh, workers: 9, _ => 0.5, _ => 1).RunToEnd();
        Assert.Equal(new[] { 1, 2, 3 }, sh.Rungs[1].Trials.Select(t => t.ConfigurationId));
        Assert.Equal(1, sh.Best!.ConfigurationId);
        // And the whole run is reproducible.
        var again = new WorkerSimulation(Sh(direction: direction), workers: 9, _ => 0.5, _ => 1).RunToEnd();
        Assert.Equal(sim.Issued, again.Issued);
    }

    [Fact]
    public void Maximize_keeps_the_largest_objectives()
    {
        var sh = Sh(direction: OptimizationDirection.Maximize);
        new WorkerSimulation(sh, workers: 3, j => Loss(j), j => j.Resource).RunToEnd();
        Assert.Equal(new[] { 1, 3, 8 }, sh.Rungs[1].Trials.Select(t => t.ConfigurationId).Order()); // 0.7, 0.9, 0.8
        Assert.Equal(3, sh.Best!.ConfigurationId);
    }

    [Fact]
    public void Failures_rank_worst_and_are_never_promoted()
    {
        // Configurations 5, 2 and 7 are the best but 5 and 2 fail; 7 and the next two best (4: 0.4, 9: 0.5) go on.
        var sh = Sh();
        new WorkerSimulation(sh, workers: 9, j => j.ConfigurationId is 5 or 2 ? null : Loss(j), _ => 1).RunToEnd();
        var rung0 = sh.Rungs[0];
        Assert.Equal(new[] { 7, 4, 9, 6, 1, 8, 3, 2, 5 }, rung0.Ranking.Select(t => t.ConfigurationId));
        Assert.Equal(new[] { FidelityTrialStatus.Failed, FidelityTrialStatus.Failed }, rung0.Ranking.TakeLast(2).Select(t => t.Status));
        Assert.Equal("simulated failure", rung0.Ranking[^1].Error);
        Assert.Equal(new[] { 7, 4, 9 }, sh.Rungs[1].Trials.Select(t => t.ConfigurationId));
        Assert.Equal(7, sh.Best!.ConfigurationId);
    }

    [Fact]
    public void Too_few_successes_shrink_the_next_rung_and_none_finish_the_search()
    {
        var sh = Sh();
        new WorkerSimulation(sh, workers: 9, j => j.ConfigurationId is 3 or 6 ? Loss(j) : null, _ => 1).RunToEnd();
        Assert.Equal(new[] { 9, 2, 1 }, sh.Rungs.Select(r => r.Trials.Count));
        Assert.Equal(6, sh.Best!.ConfigurationId);

        var doomed = Sh();
        var sim = new WorkerSimulation(doomed, workers: 2, _ => null, _ => 1).RunToEnd();
        Assert.True(sim.Finished);
        Assert.Equal(9, sim.Issued.Count);
        Assert.Null(doomed.Best);
        Assert.Empty(doomed.ReachedTop);
    }

    [Fact]
    public void Every_rung_keeps_at_least_one_so_the_top_is_reached()
    {
        var sh = Sh(n: 5);
        new WorkerSimulation(sh, workers: 2, j => Loss(j), j => j.Resource).RunToEnd();
        Assert.Equal(new[] { 5, 1, 1 }, sh.Rungs.Select(r => r.Trials.Count));
        Assert.Equal(5, sh.Best!.ConfigurationId);
    }

    [Fact]
    public void A_maximum_resource_between_powers_of_eta_adds_a_capped_top_rung()
    {
        var sh = Sh(n: 27, big: 10);
        Assert.Equal(new[] { 1.0, 3, 9, 10 }, sh.Resources);
        new WorkerSimulation(sh, workers: 5, j => (j.ConfigurationId * 37 % 27) + 1 / j.Resource, j => j.Resource).RunToEnd();
        Assert.Equal(new[] { 27, 9, 3, 1 }, sh.Rungs.Select(r => r.Trials.Count));
        Assert.Equal(10, sh.Rungs[3].Resource);
        Assert.Equal(27, sh.Best!.ConfigurationId); // 27·37 mod 27 = 0
    }

    [Fact]
    public void Stopping_new_configurations_early_halves_what_was_started()
    {
        var sh = Sh();
        var jobs = Enumerable.Range(0, 6).Select(_ => sh.NextJob().Job!).ToList();
        sh.StopNewConfigurations();
        Assert.Equal(SchedulerDecisionKind.Wait, sh.NextJob().Kind);
        foreach (var j in jobs) sh.Report(j.TrialKey, 0, Loss(j));
        Assert.Equal(6, sh.RungSize(0));
        Assert.Equal(2, sh.RungSize(1)); // floor(6 / 3), not the planned 3
        Assert.Equal(5, sh.NextJob().Job!.ConfigurationId); // best of 1..6 (0.05), then 2 (0.2)
        Assert.Equal(2, sh.NextJob().Job!.ConfigurationId);
        Assert.Equal(SchedulerDecisionKind.Wait, sh.NextJob().Kind);
    }

    [Fact]
    public void Withdrawn_jobs_are_handed_out_again()
    {
        var sh = Sh(n: 3, big: 3);
        var a = sh.NextJob().Job!;
        var b = sh.NextJob().Job!;
        sh.Withdraw(b.TrialKey);
        var c = sh.NextJob().Job!; // the place in rung 0 is free again: a new configuration
        Assert.Equal((3L, 3), (c.TrialKey, c.ConfigurationId));
        var d = sh.NextJob().Job!;
        Assert.Equal(SchedulerDecisionKind.Wait, sh.NextJob().Kind);
        sh.Report(a.TrialKey, 0, 0.3);
        sh.Report(c.TrialKey, 0, 0.1);
        sh.Report(d.TrialKey, 0, 0.2);
        var p = sh.NextJob().Job!;
        Assert.Equal(c.TrialKey, p.ParentTrialKey);
        sh.Withdraw(p.TrialKey); // e.g. the checkpoint was lost: the same configuration is promoted again
        var again = sh.NextJob().Job!;
        Assert.Equal((c.TrialKey, c.ConfigurationId, 1), (again.ParentTrialKey!.Value, again.ConfigurationId, again.Rung));
        Assert.NotEqual(p.TrialKey, again.TrialKey);
        Assert.Throws<InvalidOperationException>(() => sh.Withdraw(a.TrialKey)); // reported trials stay
    }
}
