using System.Diagnostics;
using AutoCompress.Storage;
using TrialStatus = AutoCompress.Storage.TrialStatus;

namespace AutoCompress.Orchestrator.Tests.Experiments;

/// <summary>
/// The durability promise, tested the hard way: the real `autocompress experiment run` process is killed with SIGKILL
/// in the middle of an experiment, and `autocompress experiment resume` finishes it.
/// </summary>
public sealed class KillNineTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-kill9-").FullName;
    private readonly string plugins;

    public KillNineTests() => plugins = TestPlugins.InstallEvaluators(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private Process Cli(params string[] args)
    {
        var start = new ProcessStartInfo(TestPlugins.Worker.FileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir,
        };
        foreach (var a in TestPlugins.Worker.Arguments.Concat(args)) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task After_kill_9_mid_experiment_resume_keeps_every_completed_trial_once_and_reruns_the_in_flight_ones()
    {
        var spec = Path.Combine(dir, "spec.json");
        var db = Path.Combine(dir, "experiments.db");
        await File.WriteAllTextAsync(spec, ExperimentServiceTests.SquareSpec(40, concurrent: 2, seconds: 0.25));

        using (var run = Cli("experiment", "run", spec, "--db", db, "--plugins", plugins))
        {
            var output = run.StandardOutput.ReadToEndAsync();
            var errors = run.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await CompletedAsync(db) < 10)
            {
                if (run.HasExited) Assert.Fail($"the run ended early: {await output} {await errors}");
                Assert.True(DateTime.UtcNow < deadline, "no progress within a minute");
                await Task.Delay(50);
            }
            run.Kill(); // SIGKILL: no shutdown code runs
            await run.WaitForExitAsync();
        }

        Guid id;
        IReadOnlyList<Trial> before;
        await using (var store = await ExperimentStore.OpenAsync(db))
        {
            var experiment = (await store.ListExperimentsAsync()).Single();
            Assert.Equal(ExperimentStatus.Running, experiment.Status); // it died mid-way
            id = experiment.Id;
            before = await ExperimentServiceTests.AllTrials(store, id);
        }
        var completedBefore = before.Where(t => t.Status == TrialStatus.Completed).ToList();
        Assert.InRange(completedBefore.Count, 10, 39);
        Assert.Contains(before, t => t.Status is TrialStatus.Running or TrialStatus.Pending); // killed with work in flight

        using (var resume = Cli("experiment", "resume", "--db", db, "--plugins", plugins))
        {
            var output = resume.StandardOutput.ReadToEndAsync();
            var errors = resume.StandardError.ReadToEndAsync();
            Assert.True(resume.WaitForExit(TimeSpan.FromSeconds(120)), "resume did not finish");
            if (resume.ExitCode != 0) Assert.Fail($"resume exited {resume.ExitCode}: {await output} {await errors}");
            Assert.Contains("resuming 1 experiment(s)", await output, StringComparison.Ordinal);
        }

        await using (var store = await ExperimentStore.OpenAsync(db))
        {
            var after = await ExperimentServiceTests.AllTrials(store, id);
            Assert.Equal(ExperimentStatus.Completed, (await store.GetExperimentAsync(id))!.Status);
            // Exactly the trials an uninterrupted run makes, each completed once.
            Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), after.Select(t => t.Seq));
            Assert.Equal(ExperimentServiceTests.ExpectedConfigs(40), after.Select(t => t.ConfigJson));
            Assert.All(after, t => Assert.Equal(TrialStatus.Completed, t.Status));
            Assert.Equal(40, (await store.LatestCheckpointAsync(id))!.ToldCount);
            // What had completed before the kill was kept as it was, not run again.
            var byId = after.ToDictionary(t => t.Id);
            foreach (var t in completedBefore)
            {
                Assert.Equal(t.Attempt, byId[t.Id].Attempt);
                Assert.Equal(t.EndedAt, byId[t.Id].EndedAt);
                Assert.Equal(t.Metrics!["square"], byId[t.Id].Metrics!["square"]);
            }
            // What was in flight ran again under a new attempt.
            foreach (var t in before.Where(t => t.Status == TrialStatus.Running))
                Assert.True(byId[t.Id].Attempt > t.Attempt, $"trial {t.Seq} was running at the kill but was not re-run");
        }
    }

    // Read straight from the database file, as an outside observer (the SQLite shell) would.
    private static async Task<long> CompletedAsync(string db)
    {
        if (!File.Exists(db))
            return 0;
        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM trials WHERE status = 'completed'";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // the schema is not there yet
        }
    }
}
