using System.Diagnostics;
using AutoCompress.Actors;
using AutoCompress.Contracts.Evaluation;
using AutoCompress.Orchestrator.Workers;
using AutoCompress.Storage;
using Microsoft.Extensions.Logging;
using WorkerTrialStatus = AutoCompress.Orchestrator.Workers.TrialStatus;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// Shares the worker slots between experiments. Each experiment queues its trials here; whenever a slot is free the
/// scheduler picks the experiment with the highest priority and, among equals, the fewest trials running (then the
/// one served longest ago), so concurrent experiments get equal shares whatever their queue lengths. Within an
/// experiment, trials go by their own priority (promotions first), then in order. Evaluators that need no isolation
/// run in-process on a separate set of slots.
/// <para>
/// The scheduler starts each trial in the store (a new attempt) just before running it, so a trial is "running" in
/// the database exactly while a slot holds it; the experiment actor records the outcome.
/// </para>
/// </summary>
internal sealed partial class TrialScheduler : ReceiveActor
{
    private sealed class ExperimentQueue(Guid id)
    {
        public Guid Id { get; } = id;
        public IActorRef? Owner { get; set; }
        public int Priority { get; set; }
        public string EvaluatorId { get; set; } = "";
        public bool InProcess { get; set; }
        public TimeSpan TimeLimit { get; set; }
        public string WorkDirectory { get; set; } = "";
        public PriorityQueue<QueuedTrial, (int, long)> Queue { get; } = new();
        public int Running { get; set; }
        public long LastServed { get; set; }
    }

    private readonly WorkerPool pool;
    private readonly ExperimentStore store;
    private readonly int isolatedSlots;
    private readonly int inProcessSlots;
    private readonly string workerName;
    private readonly ILogger log;
    private readonly Dictionary<Guid, ExperimentQueue> experiments = [];
    private readonly Dictionary<long, (Guid Experiment, CancellationTokenSource Cancel)> running = [];
    private int runningIsolated;
    private int runningInProcess;
    private long dispatched;
    // Trials waiting in every queue, for the queue-depth gauge (read off the actor's thread).
    private int queued;
    private readonly IDisposable queueGauge;

    public TrialScheduler(WorkerPool pool, ExperimentStore store, int isolatedSlots, int inProcessSlots)
    {
        this.pool = pool;
        this.store = store;
        this.isolatedSlots = isolatedSlots;
        this.inProcessSlots = inProcessSlots;
        workerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        log = Context.GetLogger();
        queueGauge = Observability.OrchestratorTelemetry.TrackQueue(() => Volatile.Read(ref queued));
        Receive<EnqueueTrials>(OnEnqueue);
        Receive<SlotFreed>(OnSlotFreed);
        Receive<WithdrawExperiment>(OnWithdraw);
        Receive<CancelScheduledTrial>(OnCancelTrial);
        Receive<GetSchedulerStatus>(_ => Sender.Tell(new SchedulerStatus(isolatedSlots, inProcessSlots, runningIsolated, runningInProcess,
            experiments.Values.ToDictionary(e => e.Id, e => (e.Queue.Count, e.Running)), dispatched), Self));
    }

    private sealed record SlotFreed(Guid ExperimentId, long TrialId, bool InProcess);

    protected override void PostStop()
    {
        foreach (var (_, (_, cancel)) in running) cancel.Cancel();
        queueGauge.Dispose();
        base.PostStop();
    }

    private void OnEnqueue(EnqueueTrials message)
    {
        if (!experiments.TryGetValue(message.ExperimentId, out var queue))
            experiments[message.ExperimentId] = queue = new ExperimentQueue(message.ExperimentId) { LastServed = dispatched };
        queue.Owner = Sender;
        queue.Priority = message.ExperimentPriority;
        queue.EvaluatorId = message.EvaluatorId;
        queue.InProcess = pool.InProcessEvaluatorIds.Contains(message.EvaluatorId);
        queue.TimeLimit = message.TimeLimit;
        queue.WorkDirectory = message.WorkDirectory;
        foreach (var trial in message.Trials) queue.Queue.Enqueue(trial, (-trial.Priority, trial.Seq));
        Dispatch();
    }

    private void OnWithdraw(WithdrawExperiment message)
    {
        var dropped = new List<long>();
        if (experiments.TryGetValue(message.ExperimentId, out var queue))
        {
            while (queue.Queue.TryDequeue(out var trial, out _)) dropped.Add(trial.TrialId);
            if (queue.Running == 0) experiments.Remove(message.ExperimentId);
        }
        if (message.CancelRunning)
            foreach (var (_, (experiment, cancel)) in running)
                if (experiment == message.ExperimentId) cancel.Cancel();
        CountQueued();
        Sender.Tell(new TrialsWithdrawn(message.ExperimentId, dropped), Self);
    }

    private void OnCancelTrial(CancelScheduledTrial message)
    {
        if (running.TryGetValue(message.TrialId, out var entry))
        {
            entry.Cancel.Cancel();
            return;
        }
        if (!experiments.TryGetValue(message.ExperimentId, out var queue)) return;
        var kept = new List<(QueuedTrial, (int, long))>();
        var dropped = false;
        while (queue.Queue.TryDequeue(out var trial, out var priority))
        {
            if (trial.TrialId == message.TrialId) dropped = true;
            else kept.Add((trial, priority));
        }
        queue.Queue.EnqueueRange(kept);
        CountQueued();
        if (dropped) Sender.Tell(new TrialsWithdrawn(message.ExperimentId, [message.TrialId]), Self);
    }

    private void OnSlotFreed(SlotFreed message)
    {
        if (running.Remove(message.TrialId, out var entry)) entry.Cancel.Dispose();
        if (message.InProcess) runningInProcess--;
        else runningIsolated--;
        if (experiments.TryGetValue(message.ExperimentId, out var queue))
        {
            queue.Running--;
            if (queue.Running == 0 && queue.Queue.Count == 0) experiments.Remove(message.ExperimentId);
        }
        Dispatch();
    }

    private void Dispatch()
    {
        while (Pick() is { } queue)
        {
            var trial = queue.Queue.Dequeue();
            queue.Running++;
            queue.LastServed = ++dispatched;
            if (queue.InProcess) runningInProcess++;
            else runningIsolated++;
            var cancel = new CancellationTokenSource();
            running[trial.TrialId] = (queue.Id, cancel);
            var request = new EvaluationRequest(trial.TrialId, queue.Id.ToString(), trial.RequestConfig, trial.Fidelity, trial.Seed,
                Path.Combine(queue.WorkDirectory, trial.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            _ = RunAsync(trial, request, queue.Id, queue.EvaluatorId, queue.TimeLimit, queue.InProcess, queue.Owner!, Self, cancel.Token);
        }
        CountQueued();
    }

    private void CountQueued() => Volatile.Write(ref queued, experiments.Values.Sum(q => q.Queue.Count));

    private static void Record(System.Diagnostics.Activity? span, TagList tags, TrialOutcome outcome, string evaluatorId)
    {
        var status = outcome.Status.ToString().ToLowerInvariant();
        span?.SetTag("autocompress.trial.status", status);
        if (outcome.Status == WorkerTrialStatus.Completed) span?.SetStatus(System.Diagnostics.ActivityStatusCode.Ok);
        else span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, outcome.Error);
        tags.Add("status", status);
        (outcome.Status == WorkerTrialStatus.Completed ? Observability.OrchestratorTelemetry.TrialsCompleted : Observability.OrchestratorTelemetry.TrialsFailed).Add(1, tags);
        Observability.OrchestratorTelemetry.TrialDuration.Record(outcome.Duration.TotalSeconds, tags);
        if (outcome.Result is { } result) Observability.OrchestratorTelemetry.RecordCostModelError(result.Metrics, evaluatorId);
    }

    private ExperimentQueue? Pick()
    {
        ExperimentQueue? best = null;
        foreach (var queue in experiments.Values)
        {
            if (queue.Queue.Count == 0) continue;
            if (queue.InProcess ? runningInProcess >= inProcessSlots : runningIsolated >= isolatedSlots) continue;
            if (best is null || queue.Priority > best.Priority
                || (queue.Priority == best.Priority && (queue.Running < best.Running
                    || (queue.Running == best.Running && queue.LastServed < best.LastServed))))
                best = queue;
        }
        return best;
    }

    // Runs off the actor's loop: it touches no actor state and reports back by messages.
    private async Task RunAsync(QueuedTrial trial, EvaluationRequest request, Guid experimentId, string evaluatorId, TimeSpan timeLimit,
        bool inProcess, IActorRef owner, IActorRef self, CancellationToken cancel)
    {
        // A trial is a root span of its own trace, whatever the dispatching thread carried (set inside this async
        // method, the change does not reach the caller).
        Activity.Current = null;
        using var span = Observability.OrchestratorTelemetry.Source.StartActivity("trial");
        var tags = new TagList { { "experiment", experimentId.ToString() }, { "evaluator", evaluatorId } };
        span?.SetTag("autocompress.experiment", experimentId.ToString());
        span?.SetTag("autocompress.trial.seq", trial.Seq);
        span?.SetTag("autocompress.trial.id", trial.TrialId);
        span?.SetTag("autocompress.evaluator", evaluatorId);
        if (span is not null) request = request with { TraceParent = span.Id };
        try
        {
            int attempt;
            try
            {
                attempt = await store.StartTrialAsync(trial.TrialId, workerName, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
            {
                span?.SetStatus(ActivityStatusCode.Error, $"refused: {e.Message}");
                owner.Tell(new TrialStartRefused(trial, e.Message), self);
                return;
            }
            owner.Tell(new TrialStarted(trial.TrialId, attempt), self);
            span?.SetTag("autocompress.trial.attempt", attempt);
            Observability.OrchestratorTelemetry.TrialsStarted.Add(1, tags);
            TrialOutcome outcome;
            try
            {
                outcome = await pool.RunAsync(request, evaluatorId, timeLimit, null, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or ArgumentException or InvalidOperationException)
            {
                outcome = new TrialOutcome { TrialId = trial.TrialId, Status = WorkerTrialStatus.WorkerUnavailable, Error = e.Message };
            }
            Record(span, tags, outcome, evaluatorId);
            owner.Tell(new TrialFinished(trial, attempt, outcome), self);
        }
        catch (Exception e)
        {
            LogRunFailed(log, e, trial.TrialId);
            owner.Tell(new TrialFinished(trial, 0, new TrialOutcome { TrialId = trial.TrialId, Status = WorkerTrialStatus.WorkerUnavailable, Error = e.Message }), self);
        }
        finally
        {
            self.Tell(new SlotFreed(experimentId, trial.TrialId, inProcess), ActorRefs.NoSender);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "running trial {TrialId} failed in the scheduler")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, long trialId);
}
