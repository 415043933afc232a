using System.Diagnostics;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// Runs trials in long-lived worker processes (<c>autocompress worker</c>), one trial per slot at a time,
/// so that a crash in native code or in a plugin kills one worker and one trial, never the service.
/// <para>
/// Trials queue first-in first-out until a slot is free. Workers start lazily: a slot gets its process
/// when a trial first needs it, and a worker that died (crash, kill) is replaced by a new process when
/// the slot's next trial arrives; <see cref="WarmUpAsync"/> starts every slot's worker ahead of time.
/// A slot whose worker fails to start backs off (doubling from <see cref="WorkerPoolOptions.RestartBackoff"/>);
/// trials that get it meanwhile end at once as <see cref="TrialStatus.WorkerUnavailable"/> with the
/// reason, so a broken installation never makes the pool spin.
/// </para>
/// <para>
/// Evaluators that declare <c>RequiresIsolation == false</c> (looked up in plugins the pool loads itself)
/// run in-process, outside the slots, with the same outcomes; only cancellation can stop them.
/// </para>
/// The pool reports precisely and never retries: that is the scheduler's decision.
/// </summary>
public sealed partial class WorkerPool : IAsyncDisposable
{
    private readonly WorkerPoolOptions options;
    private readonly ILogger logger;
    private readonly PluginHost? plugins;
    private readonly EvaluatorCatalog? inProcess;
    private readonly Slot[] slots;
    private readonly LinkedList<TaskCompletionSource<Slot?>> queue = new();
    private readonly Lock gate = new();
    private readonly CancellationTokenSource disposing = new();
    private int nextWorkerId;
    private int active;
    private TaskCompletionSource? drained;
    private bool disposed;
    private int inProcessRunning;
    private long started, restarts, crashes, kills, startFailures;

    /// <summary>A place for one worker; whoever holds it (<see cref="Busy"/>) alone touches its other fields.</summary>
    private sealed class Slot(int index)
    {
        public int Index { get; } = index;
        public bool Busy { get; set; }
        public WorkerProcess? Worker { get; set; }
        public bool EverStarted { get; set; }
        public int FailuresInRow { get; set; }
        public long RetryAfter { get; set; }
        public string? LastStartError { get; set; }
    }

    /// <summary>Creates the pool; with <see cref="WorkerPoolOptions.InProcessEvaluators"/> it loads the plugins now.</summary>
    public WorkerPool(WorkerPoolOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        loggers ??= NullLoggerFactory.Instance;
        logger = loggers.CreateLogger<WorkerPool>();
        slots = Enumerable.Range(0, options.Slots).Select(i => new Slot(i)).ToArray();
        if (options.InProcessEvaluators)
        {
            plugins = new PluginHost(new PluginHostOptions { Directories = options.PluginDirectories }, loggers.CreateLogger<PluginHost>());
            plugins.LoadAll();
            inProcess = new EvaluatorCatalog(plugins);
        }
    }

    /// <summary>Evaluators this pool runs in-process (they declare that they need no isolation).</summary>
    public IReadOnlyList<string> InProcessEvaluatorIds =>
        inProcess is null ? [] : inProcess.Ids.Where(id => inProcess.TryGet(id, out var e) && !e.RequiresIsolation).ToList();

    /// <summary>A snapshot of the pool's state and history.</summary>
    public WorkerPoolCounters Counters
    {
        get
        {
            lock (gate)
            {
                return new WorkerPoolCounters(
                    Busy: slots.Count(s => s.Busy),
                    Idle: slots.Count(s => !s.Busy && s.Worker is { HasExited: false }),
                    Queued: queue.Count,
                    InProcess: Volatile.Read(ref inProcessRunning),
                    Started: Interlocked.Read(ref started),
                    Restarts: Interlocked.Read(ref restarts),
                    Crashes: Interlocked.Read(ref crashes),
                    Kills: Interlocked.Read(ref kills),
                    StartFailures: Interlocked.Read(ref startFailures));
            }
        }
    }

    /// <summary>
    /// Starts a worker in every free slot that has none, so the first trials do not wait for process start.
    /// Throws a <see cref="WorkerStartException"/> naming the failures if any worker could not start.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancel = default)
    {
        List<Slot> taken;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            taken = slots.Where(s => !s.Busy && s.Worker is null or { HasExited: true }).ToList();
            foreach (var s in taken) s.Busy = true;
        }
        try
        {
            var results = await Task.WhenAll(taken.Select(s => EnsureWorkerAsync(s, cancel))).ConfigureAwait(false);
            var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure!.Error).ToList();
            if (failures.Count > 0) throw new WorkerStartException(string.Join(Environment.NewLine, failures));
        }
        finally
        {
            foreach (var s in taken) Release(s);
        }
    }

    /// <summary>
    /// Evaluates one trial with evaluator <paramref name="evaluatorId"/> and reports how it went. Waits
    /// (first-in first-out) for a free slot; <paramref name="timeLimit"/> (default
    /// <see cref="WorkerPoolOptions.DefaultTimeLimit"/>) counts from when the worker receives the trial.
    /// Past it, or when <paramref name="cancel"/> fires, the trial is asked to stop and its worker is killed
    /// if it has not within <see cref="WorkerPoolOptions.CancelGrace"/>. Nothing the evaluator or its worker
    /// does makes this throw; cancellation gives a <see cref="TrialStatus.Cancelled"/> outcome.
    /// </summary>
    /// <param name="request">The trial; its <see cref="EvaluationRequest.TrialId"/> names it in the worker protocol.</param>
    /// <param name="evaluatorId">The evaluator's <see cref="Evaluator.Id"/>.</param>
    /// <param name="timeLimit">The trial's time limit; null for the pool's default.</param>
    /// <param name="log">Receives the trial's log lines as they arrive (they are also in the outcome).</param>
    /// <param name="cancel">Cancels the trial (queued or running); the outcome is then <see cref="TrialStatus.Cancelled"/>.</param>
    public async Task<TrialOutcome> RunAsync(EvaluationRequest request, string evaluatorId, TimeSpan? timeLimit = null,
        IProgress<string>? log = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(evaluatorId);
        var limit = timeLimit ?? options.DefaultTimeLimit;
        if (limit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeLimit), limit, "the time limit must be positive");
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            active++;
        }
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, disposing.Token);
            var outcome = inProcess is not null && inProcess.TryGet(evaluatorId, out var evaluator) && !evaluator.RequiresIsolation
                ? await RunInProcessAsync(evaluator, request, limit, log, linked.Token).ConfigureAwait(false)
                : await RunInWorkerAsync(request, evaluatorId, limit, log, linked.Token).ConfigureAwait(false);
            return outcome.Status == TrialStatus.Cancelled && disposing.IsCancellationRequested && !cancel.IsCancellationRequested
                ? outcome with { Error = $"{outcome.Error} (the pool is shutting down)" }
                : outcome;
        }
        finally
        {
            lock (gate)
            {
                if (--active == 0) drained?.TrySetResult();
            }
        }
    }

    private async Task<TrialOutcome> RunInWorkerAsync(EvaluationRequest request, string evaluatorId, TimeSpan limit,
        IProgress<string>? log, CancellationToken cancel)
    {
        var waiting = Stopwatch.StartNew();
        TrialOutcome NotRun(TrialStatus status, string error) =>
            new() { TrialId = request.TrialId, Status = status, Error = error, Waited = waiting.Elapsed };

        var slot = await AcquireAsync(cancel).ConfigureAwait(false);
        if (slot is null) return NotRun(TrialStatus.Cancelled, "the trial was cancelled while waiting for a free slot");
        try
        {
            if (cancel.IsCancellationRequested) return NotRun(TrialStatus.Cancelled, "the trial was cancelled before it started");
            var (worker, failure) = await EnsureWorkerAsync(slot, cancel).ConfigureAwait(false);
            if (failure is not null) return failure with { TrialId = request.TrialId, Waited = waiting.Elapsed };
            var waited = waiting.Elapsed;
            var outcome = await worker!.RunTrialAsync(request, evaluatorId, limit, log, cancel).ConfigureAwait(false);
            if (worker.HasExited) await RetireAsync(slot, worker).ConfigureAwait(false);
            return outcome with { Waited = waited };
        }
        finally
        {
            Release(slot);
        }
    }

    /// <summary>Waits for a free slot (first come, first served); null when cancelled meanwhile.</summary>
    private async Task<Slot?> AcquireAsync(CancellationToken cancel)
    {
        TaskCompletionSource<Slot?> waiter;
        LinkedListNode<TaskCompletionSource<Slot?>> node;
        lock (gate)
        {
            if (queue.Count == 0)
            {
                // Prefer a slot with a live worker, so that trials do not pay for starts needlessly.
                var free = slots.Where(s => !s.Busy).OrderByDescending(s => s.Worker is { HasExited: false }).FirstOrDefault();
                if (free is not null)
                {
                    free.Busy = true;
                    return free;
                }
            }
            waiter = new TaskCompletionSource<Slot?>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = queue.AddLast(waiter);
        }
        using var registration = cancel.Register(() =>
        {
            lock (gate)
            {
                if (node.List is null) return; // already handed a slot
                queue.Remove(node);
            }
            waiter.TrySetResult(null);
        });
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Hands the slot to the longest-waiting trial, or marks it free.</summary>
    private void Release(Slot slot)
    {
        lock (gate)
        {
            while (queue.First is { } next)
            {
                queue.RemoveFirst();
                if (next.Value.TrySetResult(slot)) return;
            }
            slot.Busy = false;
        }
    }

    /// <summary>The slot's live worker, starting one if needed; or the outcome for a trial that cannot run.</summary>
    private async Task<(WorkerProcess? Worker, TrialOutcome? Failure)> EnsureWorkerAsync(Slot slot, CancellationToken cancel)
    {
        if (slot.Worker is { } current)
        {
            if (!current.HasExited) return (current, null);
            await RetireAsync(slot, current).ConfigureAwait(false); // died while idle
        }
        TrialOutcome Unavailable(string error) => new() { TrialId = 0, Status = TrialStatus.WorkerUnavailable, Error = error };
        var now = Environment.TickCount64;
        if (slot.FailuresInRow > 0 && now < slot.RetryAfter)
            return (null, Unavailable(
                $"no worker is available: starting one failed {slot.FailuresInRow} time(s) in a row, the next attempt is in {(slot.RetryAfter - now) / 1000.0:F1} s; last error: {slot.LastStartError}"));
        var id = Interlocked.Increment(ref nextWorkerId);
        try
        {
            var worker = await WorkerProcess.StartAsync(options, id, logger, cancel).ConfigureAwait(false);
            slot.Worker = worker;
            if (slot.EverStarted) Interlocked.Increment(ref restarts);
            slot.EverStarted = true;
            slot.FailuresInRow = 0;
            Interlocked.Increment(ref started);
            LogStarted(id, worker.Pid, slot.Index, worker.Ready!.Evaluators);
            return (worker, null);
        }
        catch (WorkerStartException e)
        {
            slot.FailuresInRow++;
            Interlocked.Increment(ref startFailures);
            var backoff = TimeSpan.FromTicks(Math.Min(options.MaxRestartBackoff.Ticks,
                options.RestartBackoff.Ticks * (1L << Math.Min(slot.FailuresInRow - 1, 30))));
            slot.RetryAfter = Environment.TickCount64 + (long)backoff.TotalMilliseconds;
            slot.LastStartError = e.Message;
            LogStartFailed(slot.Index, slot.FailuresInRow, backoff.TotalSeconds, e.Message);
            return (null, Unavailable($"no worker could be started (slot {slot.Index} retries in {backoff.TotalSeconds:F1} s): {e.Message}"));
        }
        catch (OperationCanceledException)
        {
            return (null, new TrialOutcome { TrialId = 0, Status = TrialStatus.Cancelled, Error = "the trial was cancelled while its worker was starting" });
        }
    }

    /// <summary>Forgets a worker that has exited, counting how it ended.</summary>
    private async Task RetireAsync(Slot slot, WorkerProcess worker)
    {
        slot.Worker = null;
        if (worker.KilledByPool) Interlocked.Increment(ref kills);
        else Interlocked.Increment(ref crashes);
        LogRetired(worker.Id, worker.Pid, worker.KilledByPool ? "killed by the pool" : worker.Fault is { } f ? $"protocol violation: {f}" : "died");
        await worker.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<TrialOutcome> RunInProcessAsync(Evaluator evaluator, EvaluationRequest request, TimeSpan limit,
        IProgress<string>? progress, CancellationToken cancel)
    {
        Interlocked.Increment(ref inProcessRunning);
        var clock = Stopwatch.StartNew();
        var log = new TrialLog(options.MaxLogLines);
        TrialStatus? stopping = null;
        TrialOutcome Outcome(TrialStatus status, string? error) => new()
        {
            TrialId = request.TrialId, Status = status, Error = error, InProcess = true, Duration = clock.Elapsed, Log = log.Lines,
        };
        string StopReason() => stopping == TrialStatus.TimedOut
            ? $"the trial exceeded its time limit of {limit.TotalSeconds:0.###} s"
            : "the trial was cancelled";
        try
        {
            using var limitSource = new CancellationTokenSource(limit);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(limitSource.Token, cancel);
            var context = new EvaluationContext { Log = new InProcessLog(log, progress), Plugins = plugins };
            var run = Task.Run(async () =>
            {
                using var span = Observability.EvaluateSpan.Start(request, evaluator.Id, inProcess: true);
                return await evaluator.EvaluateAsync(request, context, linked.Token).ConfigureAwait(false);
            }, CancellationToken.None);
            try
            {
                await run.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!run.IsCompleted)
            {
                stopping = cancel.IsCancellationRequested ? TrialStatus.Cancelled : TrialStatus.TimedOut;
                try
                {
                    await run.WaitAsync(options.CancelGrace, CancellationToken.None).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // It cannot be killed: leave it running, observe its eventual failure.
                    _ = run.ContinueWith(t => t.Exception, TaskScheduler.Default);
                    return Outcome(stopping.Value,
                        $"{StopReason()}; the in-process evaluator {evaluator.Id} did not stop within the {options.CancelGrace.TotalSeconds:0.###} s grace period and is abandoned (it cannot be killed)");
                }
                catch (Exception)
                {
                    // Inspected below.
                }
            }
            catch (Exception)
            {
                // Inspected below.
            }
            if (run.IsCompletedSuccessfully)
            {
                var result = run.Result;
                var problem = result is null ? "returned no result" : new DoneMessage(request.TrialId, result).Problem();
                return problem is null
                    ? Outcome(TrialStatus.Completed, null) with { Result = result }
                    : Outcome(TrialStatus.Failed, $"{evaluator.Id} {problem}") with { ExceptionType = typeof(InvalidOperationException).FullName };
            }
            var error = run.Exception?.InnerException ?? new OperationCanceledException();
            if (stopping is { } s && error is OperationCanceledException)
                return Outcome(s, $"{StopReason()}; the evaluator stopped when asked");
            return Outcome(TrialStatus.Failed, error.Message) with { ExceptionType = error.GetType().FullName, ErrorDetail = error.ToString() };
        }
        finally
        {
            Interlocked.Decrement(ref inProcessRunning);
        }
    }

    /// <summary>An in-process trial's log: kept in the outcome and passed on to the caller's progress.</summary>
    private sealed class InProcessLog(TrialLog log, IProgress<string>? progress) : IProgress<string>
    {
        public void Report(string value)
        {
            log.Add(value ?? "");
            WorkerProcess.Forward(progress, value ?? "");
        }
    }

    /// <summary>
    /// Cancels queued and running trials (running ones get Cancel, then are killed after the grace period),
    /// asks every worker to shut down, kills those that do not, and unloads the in-process plugins.
    /// No worker process outlives the pool.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task? wait = null;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            if (active > 0)
            {
                drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = drained.Task;
            }
        }
        await disposing.CancelAsync().ConfigureAwait(false);
        if (wait is not null)
        {
            try
            {
                await wait.WaitAsync(options.CancelGrace + TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogDrainTimeout();
            }
        }
        await Task.WhenAll(slots.Select(s => s.Worker).OfType<WorkerProcess>().Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        foreach (var s in slots) s.Worker = null;
        plugins?.Dispose();
        disposing.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "worker {Id} (pid {Pid}) ready in slot {Slot}; evaluators: {Evaluators}")]
    private partial void LogStarted(int id, int pid, int slot, IReadOnlyList<string> evaluators);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slot {Slot}: worker start failed ({Failures} in a row), next attempt in {Seconds:F1} s: {Error}")]
    private partial void LogStartFailed(int slot, int failures, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "worker {Id} (pid {Pid}) is gone ({How}); its slot gets a new one for its next trial")]
    private partial void LogRetired(int id, int pid, string how);

    [LoggerMessage(Level = LogLevel.Error, Message = "trials still running a minute after the pool was disposed; shutting the workers down anyway")]
    private partial void LogDrainTimeout();
}
