using AutoCompress.Orchestrator.Scheduling;

namespace AutoCompress.Orchestrator.Tests.Scheduling;

/// <summary>Saving and restoring a scheduler: exact JSON round-trips, identical continuation, in-flight jobs, corrupt states.</summary>
public sealed class SchedulerStateTests
{
    private static AsynchronousSuccessiveHalving Asha(int? max = 80) =>
        new AsynchronousSuccessiveHalving(new AshaOptions { Direction = OptimizationDirection.Maximize, MinResource = 1, MaxResource = 27, MaxConfigurations = max });

    private static SuccessiveHalving Sh() =>
        new SuccessiveHalving(new SuccessiveHalvingOptions { Direction = OptimizationDirection.Maximize, Configurations = 27, MinResource = 1, MaxResource = 27 });

    private static WorkerSimulation Simulation(IFidelityScheduler scheduler, LearningCurves curves) =>
        // Every 7th configuration fails at rung 0, so failures go through the state too.
        new(scheduler, workers: 5, j => j.ConfigurationId % 7 == 0 && j.Rung == 0 ? null : curves.Observe(j), curves.Duration);

    private static IFidelityScheduler Reload(IFidelityScheduler scheduler)
    {
        var json = scheduler.SaveState().ToJson();
        var restored = FidelitySchedulerState.FromJson(json).Restore();
        Assert.Equal(json, restored.SaveState().ToJson());
        return restored;
    }

    public static TheoryData<string> Schedulers => ["asha", "sh"];

    [Theory]
    [MemberData(nameof(Schedulers))]
    public void Restoring_after_every_event_continues_exactly_like_an_uninterrupted_run(string kind)
    {
        var curves = new LearningCurves(seed: 3, configurations: 80, maxResource: 27);
        IFidelityScheduler Make() => kind == "asha" ? Asha() : Sh();
        var straight = Simulation(Make(), curves).RunToEnd();

        var restarted = Simulation(Make(), curves);
        var restarts = 0;
        while (restarted.Step())
        {
            // A restart: the new scheduler knows exactly which jobs are still out (the caller re-runs them).
            restarted.Scheduler = Reload(restarted.Scheduler);
            Assert.Equal(restarted.Running, restarted.Scheduler.InFlight);
            restarts++;
        }
        Assert.Equal(straight.Issued.Count, restarts); // one restart after every report
        Assert.True(straight.Finished && restarted.Finished);
        Assert.Equal(straight.Issued, restarted.Issued);
        Assert.Equal(straight.Decisions, restarted.Decisions);
        Assert.Equal(straight.Scheduler.SaveState().ToJson(), restarted.Scheduler.SaveState().ToJson());
        Assert.Equal(straight.Scheduler.Best, restarted.Scheduler.Best);
    }

    [Fact]
    public void A_restart_in_the_middle_reissues_nothing_and_accepts_the_reruns_of_in_flight_jobs()
    {
        var asha = Asha(max: null);
        var jobs = Enumerable.Range(0, 5).Select(_ => asha.NextJob().Job!).ToList();
        foreach (var j in jobs.Take(3)) asha.Report(j.TrialKey, 0, j.ConfigurationId);
        var promoted = asha.NextJob().Job!;
        Assert.Equal(3, promoted.ConfigurationId);

        var restored = Reload(asha);
        Assert.Equal(new[] { jobs[3], jobs[4], promoted }, restored.InFlight);
        // The in-flight jobs are not handed out again; the next job is new.
        Assert.Equal(7L, restored.NextJob().Job!.TrialKey);
        // Re-run results are reported under the same keys.
        restored.Report(promoted.TrialKey, 1, 0.5);
        restored.ReportFailure(jobs[3].TrialKey, 0, "worker lost");
        restored.Withdraw(jobs[4].TrialKey);
        Assert.Equal(new[] { 7L }, restored.InFlight.Select(j => j.TrialKey));
    }

    [Fact]
    public void The_json_round_trips_exactly_with_awkward_numbers()
    {
        var asha = new AsynchronousSuccessiveHalving(new AshaOptions { Direction = OptimizationDirection.Minimize, MinResource = 0.1, MaxResource = 0.9, Eta = 2.5, MaxConfigurations = 9 });
        Assert.Equal(new[] { 0.1, 0.25, 0.625, 0.9 }, asha.Resources.Select(r => Math.Round(r, 12)));
        double[] values = [0.1 + 0.2, double.PositiveInfinity, -0.0, 1e-300, double.Epsilon, -1.7976931348623157e308, Math.PI, 1.0 / 3];
        var jobs = values.Select(_ => asha.NextJob().Job!).ToList();
        for (var i = 0; i < values.Length; i++) asha.Report(jobs[i].TrialKey, 0, values[i]);
        var j9 = asha.NextJob().Job!; // a promotion: floor(8 / 2.5) = 3 are promotable
        asha.ReportFailure(j9.TrialKey, j9.Rung, "ünïcode \"quoted\"\nnewline");
        asha.NextJob();
        var state = asha.SaveState();
        var json = state.ToJson();
        Assert.Contains("\"asha\":", json);
        Assert.Contains("\"status\":\"in_flight\"", json);
        Assert.Contains("\"direction\":\"minimize\"", json);
        var back = FidelitySchedulerState.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(state.Trials, back.Trials);
        Assert.Equal(state.Asha, back.Asha);
        var restored = back.Restore();
        Assert.IsType<AsynchronousSuccessiveHalving>(restored);
        Assert.Equal(asha.Rungs.Select(r => r.Ranking.Select(t => t.Key).ToList()), restored.Rungs.Select(r => r.Ranking.Select(t => t.Key).ToList()));
        Assert.True(double.IsNegative(restored.Rungs[0].Trials[2].Objective!.Value)); // -0.0 survived

        var sh = Sh();
        sh.NextJob();
        Assert.IsType<SuccessiveHalving>(FidelitySchedulerState.FromJson(sh.SaveState().ToJson()).Restore());
    }

    private static string Corrupt(IFidelityScheduler scheduler, Func<FidelitySchedulerState, FidelitySchedulerState> change) =>
        Assert.Throws<InvalidDataException>(() => change(scheduler.SaveState()).Restore()).Message;

    [Fact]
    public void Inconsistent_states_are_refused_naming_the_problem()
    {
        var asha = Asha();
        var j = Enumerable.Range(0, 4).Select(_ => asha.NextJob().Job!).ToList();
        for (var i = 0; i < 3; i++) asha.Report(j[i].TrialKey, 0, i);
        var p = asha.NextJob().Job!; // promotes j[2] (maximize)

        Assert.Contains("version 2", Corrupt(asha, s => s with { Version = 2 }));
        Assert.Contains("exactly one", Corrupt(asha, s => s with { Asha = null }));
        Assert.Contains("both", Assert.Throws<InvalidDataException>(() => AsynchronousSuccessiveHalving.Restore(asha.SaveState() with
        {
            SuccessiveHalving = new SuccessiveHalvingOptions { Direction = OptimizationDirection.Maximize, Configurations = 3, MinResource = 1, MaxResource = 3 },
        })).Message);
        Assert.Contains($"trial {p.TrialKey}: its parent 2 is not a completed trial",
            Corrupt(asha, s => s with { Trials = [.. s.Trials.Select(t => t.Key == p.TrialKey ? t with { ParentKey = 2 } : t)] }));
        Assert.Contains("promoted twice", Corrupt(asha, s => s with
        {
            NextTrialKey = 7,
            Trials = [.. s.Trials, new FidelityTrial(6, p.ConfigurationId, 1, j[2].TrialKey, FidelityTrialStatus.InFlight, null, null)],
        }));
        Assert.Contains("keys must be increasing", Corrupt(asha, s => s with { Trials = [s.Trials[1], s.Trials[0], .. s.Trials.Skip(2)] }));
        Assert.Contains("a Completed trial has objective null", Corrupt(asha, s => s with { Trials = [.. s.Trials.Select(t => t.Key == 1 ? t with { Objective = null } : t)] }));
        Assert.Contains("the budget is 2", Corrupt(asha, s => s with { Asha = s.Asha! with { MaxConfigurations = 2 } }));
        Assert.Contains("rung 5 is not one of 0..3", Corrupt(asha, s => s with { Trials = [.. s.Trials.Select(t => t.Key == 1 ? t with { Rung = 5 } : t)] }));
        // Invalid settings in a state are reported like invalid settings anywhere.
        Assert.Equal("Eta", Assert.Throws<ArgumentException>(() => (asha.SaveState() with { Asha = new AshaOptions { Direction = OptimizationDirection.Maximize, MinResource = 1, MaxResource = 27, Eta = 1 } }).Restore()).ParamName);

        var sh = Sh();
        var s0 = Enumerable.Range(0, 3).Select(_ => sh.NextJob().Job!).ToList();
        Assert.Contains("rung 0 still has trials in flight", Corrupt(sh, s => s with
        {
            NextTrialKey = 5,
            Trials = [.. s.Trials.Select(t => t.Key == 1 ? t with { Status = FidelityTrialStatus.Completed, Objective = 1 } : t),
                new FidelityTrial(4, s0[0].ConfigurationId, 1, 1, FidelityTrialStatus.InFlight, null, null)],
        }));

        Assert.Contains("invalid JSON", Assert.Throws<InvalidDataException>(() => FidelitySchedulerState.FromJson("{\"version\":1")).Message);
        Assert.Contains("next_trial_key", Assert.Throws<InvalidDataException>(() => FidelitySchedulerState.FromJson("""{"version":1,"asha":null,"new_configurations_stopped":false,"next_configuration_id":1,"trials":[]}""")).Message);
        Assert.Contains("surprise", Assert.Throws<InvalidDataException>(() => FidelitySchedulerState.FromJson(asha.SaveState().ToJson().Replace("\"version\":1", "\"version\":1,\"surprise\":0", StringComparison.Ordinal))).Message);
    }
}
