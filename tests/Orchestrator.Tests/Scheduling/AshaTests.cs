using AutoCompress.Orchestrator.Scheduling;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>ASHA's promotion rule (Li et al. 2020, Algorithm 2), budget, failures, directions and withdrawal.</summary>
public sealed class AshaTests
{
    private static AsynchronousSuccessiveHalving Asha(double r = 1, double big = 9, double eta = 3, int? max = null, OptimizationDirection direction = OptimizationDirection.Minimize) =>
        new(new AshaOptions { Direction = direction, MinResource = r, MaxResource = big, Eta = eta, MaxConfigurations = max });

    private static FidelityJob Next(AsynchronousSuccessiveHalving s)
    {
        var d = s.NextJob();
        Assert.Equal(SchedulerDecisionKind.Run, d.Kind);
        return d.Job!;
    }

    [Fact]
    public void The_first_promotion_from_rung_0_waits_for_eta_results_and_takes_the_best()
    {
        var asha = Asha();
        Assert.Equal(new[] { 1.0, 3, 9 }, asha.Resources);
        var j1 = Next(asha);
        var j2 = Next(asha);
        var j3 = Next(asha);
        Assert.All(new[] { j1, j2, j3 }, j => Assert.True(j.IsNewConfiguration && j.Rung == 0 && j.Resource == 1));
        asha.Report(j1.TrialKey, 0, 0.5);
        asha.Report(j2.TrialKey, 0, 0.2);
        // Two results: floor(2/3) = 0 promotable, so a new configuration (ASHA never waits while it may start one).
        var j4 = Next(asha);
        Assert.True(j4.IsNewConfiguration);
        asha.Report(j3.TrialKey, 0, 0.9);
        // Three results: the best of them (0.2) goes to rung 1 as a new trial of configuration 2 with parent j2.
        var p1 = Next(asha);
        Assert.Equal(new FidelityJob(5, j2.ConfigurationId, 1, 3, j2.TrialKey, 1), p1);
        Assert.False(p1.IsNewConfiguration);
        // It is promoted once: the top 1 of rung 0 is taken, so the next job is new again.
        var j6 = Next(asha);
        Assert.True(j6.IsNewConfiguration);
        asha.Report(j4.TrialKey, 0, 0.1);
        // Four results, still one promotable: the new best (0.1) was not promoted yet, so it goes now.
        var p2 = Next(asha);
        Assert.Equal((j4.ConfigurationId, 1, j4.TrialKey), (p2.ConfigurationId, p2.Rung, p2.ParentTrialKey!.Value));
        // Rung 0 now has two promoted trials (0.2 early, 0.1) though only the top 1 of 4 "deserves" it: ASHA's accepted mispromotion.
        Assert.Equal(new[] { j2.TrialKey, j4.TrialKey }, asha.Rungs[0].Promoted);
        Assert.True(Next(asha).IsNewConfiguration);
    }

    [Fact]
    public void Higher_rungs_are_served_first_and_the_top_rung_is_reached()
    {
        var asha = Asha();
        var rung0 = Enumerable.Range(0, 12).Select(_ => Next(asha)).ToList();
        for (var i = 0; i < 9; i++) asha.Report(rung0[i].TrialKey, 0, 0.1 * (i + 1)); // configuration 1 best
        var p = Enumerable.Range(0, 3).Select(_ => Next(asha)).ToList(); // top 3 of 9
        Assert.Equal(new[] { 1, 2, 3 }, p.Select(j => j.ConfigurationId));
        Assert.All(p, j => Assert.Equal(1, j.Rung));
        asha.Report(p[0].TrialKey, 1, 0.30);
        asha.Report(p[1].TrialKey, 1, 0.20);
        asha.Report(p[2].TrialKey, 1, 0.25);
        asha.Report(rung0[9].TrialKey, 0, 0.05);
        asha.Report(rung0[10].TrialKey, 0, 0.5);
        asha.Report(rung0[11].TrialKey, 0, 0.6);
        // Both rung 1 (top 1 of 3: configuration 2) and rung 0 (top 4 of 12: configuration 10) have a promotable
        // trial; the scan goes from the top down, so rung 1's goes first.
        var top = Next(asha);
        Assert.Equal((2, 2, 9.0, 3.0), (top.ConfigurationId, top.Rung, top.Resource, top.ParentResource!.Value));
        var second = Next(asha);
        Assert.Equal((10, 1, rung0[9].TrialKey), (second.ConfigurationId, second.Rung, second.ParentTrialKey!.Value));
        Assert.True(Next(asha).IsNewConfiguration);
        asha.Report(top.TrialKey, 2, 0.15);
        Assert.Equal(2, asha.Best!.ConfigurationId);
        Assert.Equal(top.TrialKey, asha.Best.Key);
        Assert.Equal(0.15, asha.Best.Objective);
        Assert.Equal(asha.Best, Assert.Single(asha.ReachedTop));
    }

    [Fact]
    public void It_matches_a_literal_transcription_of_the_paper_on_random_runs()
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var random = new Random(seed);
            var asha = Asha(r: 1, big: 27, eta: 3);
            var paper = new PaperAsha(rungs: 4, eta: 3);
            var running = new List<FidelityJob>();
            for (var step = 0; step < 400; step++)
            {
                // Keep 1..6 jobs running; complete a random one; 10% failures; coarse losses so that ties occur.
                while (running.Count < 1 + random.Next(6))
                {
                    var job = Next(asha);
                    Assert.Equal(paper.GetJob(), (job.ConfigurationId, job.Rung));
                    running.Add(job);
                }
                var done = running[random.Next(running.Count)];
                running.Remove(done);
                double? loss = random.NextDouble() < 0.1 ? null : Math.Round(random.NextDouble() * 20) / 20;
                if (loss is { } l) asha.Report(done.TrialKey, done.Rung, l);
                else asha.ReportFailure(done.TrialKey, done.Rung, "boom");
                paper.Report(done.ConfigurationId, done.Rung, loss);
            }
            Assert.NotEmpty(asha.Rungs[3].Trials);
        }
    }

    [Fact]
    public void No_configuration_is_promoted_twice_and_the_budget_is_respected()
    {
        var curves = new LearningCurves(seed: 11, configurations: 60, maxResource: 27);
        var asha = Asha(r: 1, big: 27, max: 60, direction: OptimizationDirection.Maximize);
        var sim = new WorkerSimulation(asha, workers: 6, j => curves.Observe(j), curves.Duration).RunToEnd();

        Assert.True(sim.Finished);
        Assert.Equal(60, asha.ConfigurationsStarted);
        Assert.Equal(60, sim.Issued.Count(j => j.IsNewConfiguration));
        Assert.Equal(Enumerable.Range(1, 60), sim.Issued.Where(j => j.IsNewConfiguration).Select(j => j.ConfigurationId));
        Assert.Contains("Wait", sim.Decisions); // budget spent, promotions pending on in-flight results
        Assert.Equal("Finished", sim.Decisions[^1]);
        var trials = asha.Rungs.SelectMany(r => r.Trials).ToList();
        Assert.Equal(sim.Issued.Count, trials.Count);
        Assert.All(trials, t => Assert.Equal(FidelityTrialStatus.Completed, t.Status));
        var parents = trials.Where(t => t.ParentKey is not null).Select(t => t.ParentKey!.Value).ToList();
        Assert.Equal(parents.Count, parents.Distinct().Count());
        Assert.All(asha.Rungs, r => Assert.Equal(r.Trials.Count, r.Trials.Select(t => t.ConfigurationId).Distinct().Count()));
        // Each rung promoted at least the top 1/eta of its final results, and not more than its size.
        foreach (var r in asha.Rungs.SkipLast(1))
        {
            Assert.True(r.Promoted.Count >= r.Ranking.Count / 3, $"rung {r.Rung}: {r.Promoted.Count} promoted of {r.Ranking.Count}");
            Assert.Subset(r.Promoted.ToHashSet(), r.Ranking.Take(r.Ranking.Count / 3).Select(t => t.Key).ToHashSet());
        }
        Assert.NotEmpty(asha.ReachedTop);
        Assert.Equal(asha.ReachedTop.Max(t => t.Objective), asha.Best!.Objective);
        Assert.Equal(27, asha.Rungs[^1].Resource);
        // Finished is final.
        Assert.Equal(SchedulerDecisionKind.Finished, asha.NextJob().Kind);
    }

    [Fact]
    public void Without_a_budget_it_keeps_starting_configurations()
    {
        var asha = Asha();
        for (var i = 0; i < 50; i++) Assert.True(Next(asha).IsNewConfiguration); // nothing reported: never waits
        Assert.Equal(50, asha.InFlight.Count);
        Assert.Equal(Enumerable.Range(1, 50), asha.InFlight.Select(j => j.ConfigurationId));
    }

    [Fact]
    public void Failures_count_in_the_rung_but_are_never_promoted()
    {
        var asha = Asha();
        var j = Enumerable.Range(0, 3).Select(_ => Next(asha)).ToList();
        asha.ReportFailure(j[0].TrialKey, 0, "out of memory");
        asha.ReportFailure(j[1].TrialKey, 0, "diverged");
        asha.Report(j[2].TrialKey, 0, 7.5);
        // Three results, top 1 is the only success (failures rank worst).
        Assert.Equal(j[2].TrialKey, Next(asha).ParentTrialKey);
        Assert.Equal(new[] { j[2].TrialKey, j[0].TrialKey, j[1].TrialKey }, asha.Rungs[0].Ranking.Select(t => t.Key));

        var allFail = Asha();
        var f = Enumerable.Range(0, 3).Select(_ => Next(allFail)).ToList();
        foreach (var x in f) allFail.ReportFailure(x.TrialKey, 0, "crash");
        Assert.True(Next(allFail).IsNewConfiguration); // the top 1 is a failure: nothing to promote
        Assert.Equal("crash", allFail.Rungs[0].Ranking[0].Error);
    }

    [Fact]
    public void Maximize_mirrors_minimize_on_negated_objectives()
    {
        static List<FidelityJob> Run(OptimizationDirection direction, double sign)
        {
            var curves = new LearningCurves(seed: 5, configurations: 40, maxResource: 9);
            var asha = Asha(max: 40, direction: direction);
            return new WorkerSimulation(asha, workers: 4, j => sign * curves.Observe(j), curves.Duration).RunToEnd().Issued;
        }
        var maximized = Run(OptimizationDirection.Maximize, 1);
        Assert.Equal(maximized, Run(OptimizationDirection.Minimize, -1));
        Assert.NotEqual(maximized, Run(OptimizationDirection.Minimize, 1));

        var asha = Asha(direction: OptimizationDirection.Maximize);
        var j = Enumerable.Range(0, 3).Select(_ => Next(asha)).ToList();
        asha.Report(j[0].TrialKey, 0, 0.80);
        asha.Report(j[1].TrialKey, 0, 0.95);
        asha.Report(j[2].TrialKey, 0, double.NegativeInfinity);
        Assert.Equal(j[1].TrialKey, Next(asha).ParentTrialKey);
    }

    [Fact]
    public void Stopping_new_configurations_leaves_promotions_then_finishes()
    {
        var asha = Asha();
        var j = Enumerable.Range(0, 4).Select(_ => Next(asha)).ToList();
        asha.StopNewConfigurations();
        Assert.Equal(SchedulerDecisionKind.Wait, asha.NextJob().Kind);
        for (var i = 0; i < 3; i++) asha.Report(j[i].TrialKey, 0, i);
        var p = Next(asha);
        Assert.Equal(j[0].TrialKey, p.ParentTrialKey);
        asha.Report(j[3].TrialKey, 0, 10);
        Assert.Equal(SchedulerDecisionKind.Wait, asha.NextJob().Kind); // p is in flight
        asha.Report(p.TrialKey, 1, 0);
        Assert.Equal(SchedulerDecisionKind.Finished, asha.NextJob().Kind); // rung 1 has 1 result: floor(1/3) = 0
        Assert.Empty(asha.ReachedTop);
        Assert.Null(asha.Best);
    }

    [Fact]
    public void Withdrawing_a_promotion_makes_its_parent_promotable_again_and_a_new_job_frees_the_budget()
    {
        var asha = Asha(max: 3);
        var j = Enumerable.Range(0, 3).Select(_ => Next(asha)).ToList();
        asha.Withdraw(j[2].TrialKey); // the strategy had nothing to give
        Assert.Equal(2, asha.ConfigurationsStarted);
        var j4 = Next(asha);
        Assert.Equal((4L, 4, true), (j4.TrialKey, j4.ConfigurationId, j4.IsNewConfiguration)); // keys and ids are not reused
        Assert.Equal(SchedulerDecisionKind.Wait, asha.NextJob().Kind);
        asha.Report(j[0].TrialKey, 0, 3);
        asha.Report(j[1].TrialKey, 0, 1);
        asha.Report(j4.TrialKey, 0, 2);
        var p = Next(asha);
        Assert.Equal(j[1].TrialKey, p.ParentTrialKey);
        asha.Withdraw(p.TrialKey);
        Assert.Empty(asha.Rungs[0].Promoted);
        var again = Next(asha);
        Assert.Equal((j[1].TrialKey, 6L), (again.ParentTrialKey!.Value, again.TrialKey));
        Assert.Throws<ArgumentException>(() => asha.Report(p.TrialKey, 1, 0)); // the withdrawn key is gone
    }
}
