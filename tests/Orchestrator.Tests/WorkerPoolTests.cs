using System.Globalization;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Orchestrator.Workers;

namespace AutoCompress.Orchestrator.Tests;

/// <summary>The worker pool with real `autocompress worker` child processes and the test evaluators.</summary>
public sealed class WorkerPoolTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ac-workers-").FullName;
    private readonly string plugins;
    private long nextTrial;

    public WorkerPoolTests() => plugins = TestPlugins.InstallEvaluators(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private WorkerPool Pool(int slots = 1, WorkerStartInfo? worker = null, Func<WorkerPoolOptions, WorkerPoolOptions>? tweak = null)
    {
        var options = new WorkerPoolOptions
        {
            Slots = slots,
            Worker = worker ?? TestPlugins.Worker,
            PluginDirectories = [plugins],
            CancelGrace = TimeSpan.FromSeconds(0.5),
            StartTimeout = TimeSpan.FromSeconds(30),
        };
        return new WorkerPool(tweak is null ? options : tweak(options));
    }

    private EvaluationRequest Request(string config, double? fidelity = null) =>
        new(++nextTrial, "exp-1", config, fidelity, 7, Path.Combine(dir, "work"));

    private static string Sleep(double seconds, bool artifact = false) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"action":"sleep","seconds":{{seconds}},"value":{{seconds + 1}},"artifact":{{(artifact ? "true" : "false")}}}""");

    private static string Action(string action) => $$"""{"action":"{{action}}"}""";

    private static int Pid(TrialOutcome o) => (int)o.Result!.Metrics["pid"];

    private static void Completed(TrialOutcome o) =>
        Assert.True(o.Status == TrialStatus.Completed, $"{o.Status}: {o.Error}\n{string.Join("\n", o.StderrTail)}");

    /// <summary>Collects progress lines synchronously, in order.</summary>
    private sealed class Lines : IProgress<string>
    {
        public List<string> All { get; } = new();

        public void Report(string value)
        {
            lock (All) All.Add(value);
        }
    }

    [Fact]
    public async Task Trials_run_one_after_another_in_the_same_long_lived_worker_process()
    {
        await using var pool = Pool();
        var outcomes = new List<TrialOutcome>();
        for (var i = 0; i < 3; i++) outcomes.Add(await pool.RunAsync(Request(Sleep(0), fidelity: 2.5), "test-eval"));

        Assert.All(outcomes, Completed);
        var pid = Assert.Single(outcomes.Select(Pid).Distinct());
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.All(outcomes, o => Assert.Equal(pid, o.WorkerPid));
        Assert.All(outcomes, o => Assert.False(o.InProcess));
        // The request crossed the process boundary intact.
        Assert.Equal(new[] { 1.0, 2, 3 }, outcomes.Select(o => o.Result!.Metrics["trial_id"]));
        Assert.All(outcomes, o => Assert.Equal((2.5, 7.0, 1.0), (o.Result!.Metrics["fidelity"], o.Result.Metrics["seed"], o.Result.Metrics["value"])));
        var c = pool.Counters;
        Assert.Equal((1L, 0L, 0L, 1, 0), (c.Started, c.Restarts, c.Crashes, c.Idle, c.Busy));
    }

    [Fact]
    public async Task A_result_carries_the_artifacts_the_evaluator_wrote()
    {
        await using var pool = Pool();
        var outcome = await pool.RunAsync(Request(Sleep(0.1, artifact: true)), "test-eval");
        Completed(outcome);
        var path = Assert.Single(outcome.Result!.Artifacts);
        Assert.StartsWith(Path.Combine(dir, "work"), path, StringComparison.Ordinal);
        Assert.Equal("1.1", File.ReadAllText(path));
        Assert.True(outcome.Duration >= TimeSpan.FromSeconds(0.1));
    }

    [Fact]
    public async Task Two_slots_run_two_trials_at_once_in_two_workers()
    {
        await using var pool = Pool(slots: 2);
        await pool.WarmUpAsync();
        Assert.Equal(2, pool.Counters.Idle);
        var a = pool.RunAsync(Request(Sleep(1.5)), "test-eval");
        var b = pool.RunAsync(Request(Sleep(1.5)), "test-eval");
        var (x, y) = (await a, await b);
        Completed(x);
        Completed(y);
        Assert.NotEqual(Pid(x), Pid(y));
        // The two sleeps overlapped in time.
        double Start(TrialOutcome o) => o.Result!.Metrics["started_unix_ms"];
        double End(TrialOutcome o) => o.Result!.Metrics["ended_unix_ms"];
        Assert.True(Start(x) < End(y) && Start(y) < End(x), $"[{Start(x)}, {End(x)}] and [{Start(y)}, {End(y)}] do not overlap");
        Assert.Equal(2, pool.Counters.Started);
    }

    [Fact]
    public async Task Trials_wait_for_a_free_slot_first_in_first_out()
    {
        await using var pool = Pool();
        var trials = Enumerable.Range(0, 3).Select(_ => pool.RunAsync(Request(Sleep(0.2)), "test-eval")).ToList();
        Assert.Equal(2, pool.Counters.Queued);
        Assert.Equal(1, pool.Counters.Busy);
        var outcomes = await Task.WhenAll(trials);
        Assert.All(outcomes, Completed);
        var starts = outcomes.Select(o => o.Result!.Metrics["started_unix_ms"]).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.True(outcomes[2].Waited > outcomes[0].Waited);
        Assert.Equal(0, pool.Counters.Queued);
    }

    [Theory]
    [InlineData("segfault", "SIGSEGV", 139, "reading invalid memory in native code")]
    [InlineData("raise", "SIGSEGV", 139, null)]
    [InlineData("crash", "SIGABRT", 134, "test-eval crash requested")]
    [InlineData("exit", null, 3, null)]
    public async Task A_crashing_trial_kills_only_its_worker_which_is_replaced(string action, string? signal, int exitCode, string? stderr)
    {
        await using var pool = Pool();
        var before = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(before);

        var crashed = await pool.RunAsync(Request(Action(action)), "test-eval");

        Assert.Equal(TrialStatus.Crashed, crashed.Status);
        Assert.Equal(Pid(before), crashed.WorkerPid);
        Assert.Equal(exitCode, crashed.ExitCode);
        Assert.Equal(signal, crashed.Signal);
        Assert.Contains(signal ?? $"exited with code {exitCode}", crashed.Error);
        Assert.Contains($"pid {Pid(before)}", crashed.Error);
        if (stderr is not null)
        {
            Assert.Contains(crashed.StderrTail, l => l.Contains(stderr, StringComparison.Ordinal));
            Assert.Contains("last stderr lines", crashed.Error);
        }
        Assert.True(await Processes.Eventually(() => !Processes.Alive(Pid(before))));

        var after = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(after);
        Assert.NotEqual(Pid(before), Pid(after));
        var c = pool.Counters;
        Assert.Equal((2L, 1L, 1L, 0L), (c.Started, c.Restarts, c.Crashes, c.Kills));
    }

    [Fact]
    public async Task A_worker_that_dies_while_idle_is_replaced_for_the_next_trial()
    {
        await using var pool = Pool();
        var first = await pool.RunAsync(Request("""{"action":"exit_later","seconds":0.2,"exit_code":5}"""), "test-eval");
        Completed(first);
        Assert.True(await Processes.Eventually(() => !Processes.Alive(Pid(first))));
        Assert.True(await Processes.Eventually(() => pool.Counters.Idle == 0));

        var next = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(next);
        Assert.NotEqual(Pid(first), Pid(next));
        var c = pool.Counters;
        Assert.Equal((2L, 1L, 1L), (c.Started, c.Restarts, c.Crashes));
    }

    [Fact]
    public async Task An_exception_fails_only_that_trial_and_the_worker_carries_on()
    {
        await using var pool = Pool();
        var failed = await pool.RunAsync(Request(Action("throw")), "test-eval");
        Assert.Equal(TrialStatus.Failed, failed.Status);
        Assert.Equal("System.InvalidOperationException", failed.ExceptionType);
        Assert.Equal($"test-eval was told to throw (trial {nextTrial})", failed.Error);
        Assert.Contains("BehaviourEvaluator.EvaluateAsync", failed.ErrorDetail);

        var bad = await pool.RunAsync(Request("""{"action":"teleport"}"""), "test-eval");
        Assert.Equal(TrialStatus.Failed, bad.Status);
        Assert.Contains("unknown action 'teleport'", bad.Error);

        var next = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(next);
        Assert.Equal(failed.WorkerPid, Pid(next));
        Assert.Equal((1L, 0L), (pool.Counters.Started, pool.Counters.Crashes));
    }

    [Fact]
    public async Task A_hanging_trial_is_timed_out_and_its_worker_killed_and_replaced()
    {
        await using var pool = Pool();
        var hung = await pool.RunAsync(Request(Action("hang")), "test-eval", TimeSpan.FromSeconds(1));

        Assert.Equal(TrialStatus.TimedOut, hung.Status);
        Assert.Contains("time limit of 1 s", hung.Error);
        Assert.Contains("was killed", hung.Error);
        Assert.Equal("SIGKILL", hung.Signal);
        Assert.True(hung.Duration >= TimeSpan.FromSeconds(1.5), hung.Duration.ToString()); // limit + grace
        Assert.False(Processes.Alive(hung.WorkerPid!.Value));

        var next = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(next);
        Assert.NotEqual(hung.WorkerPid, Pid(next));
        var c = pool.Counters;
        Assert.Equal((2L, 1L, 1L, 0L), (c.Started, c.Restarts, c.Kills, c.Crashes));
    }

    [Fact]
    public async Task A_trial_that_stops_when_cancelled_times_out_without_losing_its_worker()
    {
        await using var pool = Pool();
        var slow = await pool.RunAsync(Request(Sleep(30)), "test-eval", TimeSpan.FromSeconds(0.5));
        Assert.Equal(TrialStatus.TimedOut, slow.Status);
        Assert.Contains("stopped when asked", slow.Error);
        Assert.True(slow.Duration < TimeSpan.FromSeconds(10));

        var next = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(next);
        Assert.Equal(slow.WorkerPid, Pid(next));
        Assert.Equal(0L, pool.Counters.Kills);
    }

    [Fact]
    public async Task The_caller_can_cancel_a_running_trial()
    {
        await using var pool = Pool();
        await pool.WarmUpAsync(); // so that the cancellation hits the running trial, not the worker's start
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(0.5));
        var cooperative = await pool.RunAsync(Request(Sleep(30)), "test-eval", cancel: cancel.Token);
        Assert.Equal(TrialStatus.Cancelled, cooperative.Status);
        Assert.Contains("cancelled", cooperative.Error);
        Assert.True(Processes.Alive(cooperative.WorkerPid!.Value));

        using var cancel2 = new CancellationTokenSource(TimeSpan.FromSeconds(0.5));
        var hung = await pool.RunAsync(Request(Action("hang")), "test-eval", cancel: cancel2.Token);
        Assert.Equal(TrialStatus.Cancelled, hung.Status);
        Assert.Contains("was killed", hung.Error);
        Assert.Equal(cooperative.WorkerPid, hung.WorkerPid);
        Assert.False(Processes.Alive(hung.WorkerPid!.Value));
        Assert.Equal(1L, pool.Counters.Kills);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(200)]
    public async Task Cancelling_while_the_worker_starts_ends_promptly_and_leaves_no_process(int afterMs)
    {
        await using var pool = Pool();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(afterMs));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await pool.RunAsync(Request(Sleep(30)), "test-eval", cancel: cancel.Token);
        Assert.Equal(TrialStatus.Cancelled, outcome.Status);
        // A hang guard, not a speed test: the worker is killed or stops within the grace period.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), clock.Elapsed.ToString());
        await pool.DisposeAsync();
        Assert.Empty(Processes.ChildWorkers());
    }

    [Fact]
    public async Task A_queued_trial_can_be_cancelled_before_it_runs()
    {
        await using var pool = Pool();
        var first = pool.RunAsync(Request(Sleep(1)), "test-eval");
        using var cancel = new CancellationTokenSource();
        var second = pool.RunAsync(Request(Sleep(0)), "test-eval", cancel: cancel.Token);
        Assert.Equal(1, pool.Counters.Queued);
        await cancel.CancelAsync();
        var outcome = await second;
        Assert.Equal(TrialStatus.Cancelled, outcome.Status);
        Assert.Contains("waiting for a free slot", outcome.Error);
        Assert.Null(outcome.WorkerId);
        Assert.False(first.IsCompleted);
        Assert.Equal(0, pool.Counters.Queued);
        Completed(await first);
    }

    [Fact]
    public async Task Log_lines_flow_back_in_order_and_stray_stdout_does_not_break_the_protocol()
    {
        await using var pool = Pool();
        var live = new Lines();
        var outcome = await pool.RunAsync(Request("""{"action":"log","lines":4,"seconds":0.2}"""), "test-eval", log: live);
        Completed(outcome);
        var expected = Enumerable.Range(1, 4).Select(i => $"line {i} of 4").ToList();
        Assert.Equal(expected, outcome.Log);
        Assert.Equal(expected, live.All);
        // The evaluator also wrote to stdout, from .NET and from native code; the worker is fine.
        var next = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Completed(next);
        Assert.Equal(outcome.WorkerPid, Pid(next));
    }

    [Fact]
    public async Task An_evaluator_that_needs_no_isolation_runs_in_process_without_a_worker()
    {
        await using var pool = Pool();
        Assert.Equal(new[] { "test-inproc" }, pool.InProcessEvaluatorIds);
        var live = new Lines();
        var outcome = await pool.RunAsync(Request("""{"x":3}"""), "test-inproc", log: live);
        Completed(outcome);
        Assert.True(outcome.InProcess);
        Assert.Equal(9, outcome.Result!.Metrics["square"]);
        Assert.Equal(Environment.ProcessId, Pid(outcome));
        Assert.Null(outcome.WorkerId);
        Assert.Equal(new[] { "x = 3" }, outcome.Log);
        Assert.Equal(new[] { "x = 3" }, live.All);

        var failed = await pool.RunAsync(Request("""{"x":2,"fail":true}"""), "test-inproc");
        Assert.Equal(TrialStatus.Failed, failed.Status);
        Assert.Equal(("System.InvalidOperationException", "test-inproc was told to fail for x = 2"), (failed.ExceptionType, failed.Error));

        var slow = await pool.RunAsync(Request("""{"x":1,"seconds":30}"""), "test-inproc", TimeSpan.FromSeconds(0.3));
        Assert.Equal(TrialStatus.TimedOut, slow.Status);
        Assert.Contains("stopped when asked", slow.Error);

        Assert.Equal(0L, pool.Counters.Started);
        Assert.Empty(Processes.ChildWorkers());
    }

    [Fact]
    public async Task An_unknown_evaluator_fails_the_trial_naming_the_known_ones()
    {
        await using var pool = Pool();
        var outcome = await pool.RunAsync(Request("{}"), "test-evaluator");
        Assert.Equal(TrialStatus.Failed, outcome.Status);
        Assert.Contains("no evaluator named 'test-evaluator'", outcome.Error);
        Assert.Contains("known evaluators: test-eval, test-inproc", outcome.Error);
        Assert.NotNull(outcome.WorkerPid); // the worker, which loads the plugins itself, said so
        Assert.Equal(0L, pool.Counters.Crashes);
    }

    [Fact]
    public async Task A_worker_that_writes_garbage_instead_of_ready_fails_cleanly_and_the_slot_backs_off()
    {
        await using var pool = Pool(worker: WorkerStartInfo.Executable("/bin/sh", "-c", "echo junk; sleep 30"),
            tweak: o => o with { RestartBackoff = TimeSpan.FromSeconds(30) });
        var outcome = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Assert.Equal(TrialStatus.WorkerUnavailable, outcome.Status);
        Assert.Contains("broke the worker protocol", outcome.Error);
        Assert.Contains("\"junk\"", outcome.Error);

        // No new process while the slot backs off: the next trial fails at once with the reason.
        var next = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Assert.Equal(TrialStatus.WorkerUnavailable, next.Status);
        Assert.Contains("failed 1 time(s) in a row", next.Error);
        Assert.Contains("junk", next.Error);
        var c = pool.Counters;
        Assert.Equal((0L, 1L), (c.Started, c.StartFailures));
        Assert.Empty(Processes.ChildWorkers());
    }

    [Fact]
    public async Task A_worker_that_garbles_a_message_mid_trial_is_killed_and_the_trial_crashes()
    {
        // A fake worker: a valid Ready, then text instead of frames once it gets a trial.
        const string Script = """
            json="{\"type\":\"ready\",\"protocol\":1,\"pid\":$$,\"plugins\":[],\"evaluators\":[\"test-eval\"],\"broken\":[]}"
            n=${#json}
            printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n % 256)) $((n / 256 % 256)) 0 0)"
            printf '%s' "$json"
            head -c 4 > /dev/null
            echo "progress: 50%"
            sleep 30
            """;
        await using var pool = Pool(worker: WorkerStartInfo.Executable("/bin/sh", "-c", Script));
        var outcome = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Assert.Equal(TrialStatus.Crashed, outcome.Status);
        Assert.Contains("broke the worker protocol", outcome.Error);
        Assert.Contains("\"prog\"", outcome.Error); // the first bytes of the stray text
        Assert.False(Processes.Alive(outcome.WorkerPid!.Value));
        Assert.Equal((1L, 1L), (pool.Counters.Started, pool.Counters.Crashes));
        Assert.Empty(Processes.ChildWorkers());
    }

    [Fact]
    public async Task A_worker_command_that_cannot_run_makes_trials_unavailable_with_the_reason()
    {
        await using var pool = Pool(worker: WorkerStartInfo.Executable(Path.Combine(dir, "no-such-program")));
        var outcome = await pool.RunAsync(Request(Sleep(0)), "test-eval");
        Assert.Equal(TrialStatus.WorkerUnavailable, outcome.Status);
        Assert.Contains("cannot run", outcome.Error);
        Assert.Contains("no-such-program", outcome.Error);
    }

    [Fact]
    public async Task Disposing_the_pool_cancels_running_trials_and_leaves_no_child_processes()
    {
        var pool = Pool(slots: 2);
        await pool.WarmUpAsync();
        var workers = Processes.ChildWorkers();
        Assert.Equal(2, workers.Count);
        var hung = pool.RunAsync(Request(Action("hang")), "test-eval");
        Assert.True(await Processes.Eventually(() => pool.Counters.Busy == 1));
        await Task.Delay(300);

        await pool.DisposeAsync();

        var outcome = await hung;
        Assert.Equal(TrialStatus.Cancelled, outcome.Status);
        Assert.Contains("shutting down", outcome.Error);
        Assert.Empty(Processes.ChildWorkers());
        Assert.All(workers, pid => Assert.False(Processes.Alive(pid), $"worker {pid} is still alive"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.RunAsync(Request(Sleep(0)), "test-eval"));
    }

    [Fact]
    public void Invalid_options_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => Pool(slots: 0));
        Assert.Contains("Slots", e.Message);
        e = Assert.Throws<ArgumentException>(() => Pool(tweak: o => o with { DefaultTimeLimit = TimeSpan.Zero }));
        Assert.Contains("DefaultTimeLimit", e.Message);
    }
}
