using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AutoCompress.Actors;
using AutoCompress.Contracts.Search;
using AutoCompress.Storage;
using Microsoft.Extensions.Logging;
using WorkerTrialStatus = AutoCompress.Orchestrator.Workers.TrialStatus;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// One running experiment. It owns the search strategy and is the only writer of its experiment's trials, results and
/// checkpoints. Every change of the strategy's state is committed together with what caused it: the suggestions it
/// made (new trials) or the results it was told (completions and failures). So after a crash the latest checkpoint
/// and the stored trials always agree, and resuming (restore the checkpoint, put in-flight trials back to pending,
/// re-queue pending trials) continues the search exactly: nothing completed is lost or told twice.
/// <para>
/// Results are batched: each outcome is told to the strategy at once, and a Flush message queued behind it commits
/// every outcome that arrived meanwhile in one transaction, then asks the strategy to fill the free places.
/// </para>
/// </summary>
internal sealed partial class ExperimentActor : ReceiveActor
{
    private sealed record Initialize;

    private sealed record Flush;

    private readonly Guid id;
    private readonly ExperimentRuntime runtime;
    private readonly ILogger log;
    private ExperimentSpec spec = null!;
    private SearchStrategy strategy = null!;
    private Search.Objectives.ParetoFront? paretoFront;
    private double[]? nadir;
    private bool gaugesDirty = true;
    private string name = "";
    private ExperimentStatus status = ExperimentStatus.Running;
    private string? error;
    private long told;
    private long suggested;
    private long completed;
    private long failed;
    private long retries;
    private double? bestValue;
    private long? bestSeq;
    private double fullFidelity = 1;
    private bool initialized;
    private bool flushScheduled;
    private bool strategyStalled;
    private bool ended;
    private readonly Dictionary<long, long> trialIdBySeq = [];
    private readonly Dictionary<long, QueuedTrial> outstanding = [];   // queued or running, by trial id
    private readonly HashSet<long> started = [];
    private readonly HashSet<long> userCancelled = [];
    private bool checkpointDirty;
    private readonly List<TrialCompletion> completions = [];
    private readonly List<(QueuedTrial Trial, int Attempt, string Error)> requeues = [];
    private readonly List<IActorRef> waiters = [];
    private readonly List<IActorRef> progressWaiters = [];

    public ExperimentActor(Guid id, ExperimentRuntime runtime)
    {
        this.id = id;
        this.runtime = runtime;
        log = Context.GetLogger();
        ReceiveAsync<Initialize>(_ => InitializeAsync());
        Receive<TrialStarted>(m => { if (outstanding.ContainsKey(m.TrialId)) started.Add(m.TrialId); });
        Receive<TrialFinished>(OnFinished);
        Receive<TrialStartRefused>(OnStartRefused);
        Receive<TrialsWithdrawn>(OnWithdrawn);
        ReceiveAsync<Flush>(_ => FlushAsync());
        Receive<GetProgress>(_ =>
        {
            // Asked before the experiment was read from the store: answer once it has been.
            if (initialized || ended) Sender.Tell(Progress(), Self);
            else progressWaiters.Add(Sender);
        });
        Receive<WaitForEnd>(_ => waiters.Add(Sender));
        ReceiveAsync<PauseExperiment>(_ => PauseAsync());
        ReceiveAsync<ResumeExperiment>(_ => ResumeAsync());
        ReceiveAsync<CancelExperiment>(_ => CancelAsync());
        ReceiveAsync<CancelTrial>(CancelTrialAsync);
    }

    protected override void PreStart() => Self.Tell(new Initialize());

    protected override void PostStop()
    {
        // A stop while trials still hold slots (a failure, a shutdown) must not leave them running for nobody.
        if (outstanding.Count > 0) runtime.Scheduler.Tell(new WithdrawExperiment(id, CancelRunning: true));
        // null when the actor stopped before it had read its experiment
        // (its gauges stay: an ended experiment's best and front are still worth a dashboard panel)
        strategy?.Dispose();
        base.PostStop();
    }

    private ExperimentProgress Progress() => new(id, name, status, suggested, spec?.Budget.MaxTrials ?? 0, completed, failed,
        started.Count, outstanding.Count - started.Count, retries, bestValue, bestSeq, error);

    private async Task InitializeAsync()
    {
        var experiment = await runtime.Store.GetExperimentAsync(id).ConfigureAwait(false)
                         ?? throw new InvalidOperationException($"experiment {id} does not exist");
        name = experiment.Name;
        status = experiment.Status;
        if (status is ExperimentStatus.Completed or ExperimentStatus.Cancelled or ExperimentStatus.Failed)
        {
            error = experiment.Error;
            End();
            return;
        }
        try
        {
            spec = ExperimentSpec.Parse(experiment.SpecJson);
            strategy = CreateStrategy(spec, runtime.Strategies);
        }
        catch (Exception e) when (e is ExperimentSpecException or SearchSpaceException)
        {
            await FailAsync($"cannot start: {e.Message}").ConfigureAwait(false);
            return;
        }
        fullFidelity = spec.Fidelity?.Max ?? 1;
        var checkpoint = await runtime.Store.LatestCheckpointAsync(id).ConfigureAwait(false);
        if (checkpoint is not null)
        {
            var state = JsonNode.Parse(Encoding.UTF8.GetString(checkpoint.State.Span))?.AsObject()
                        ?? throw new InvalidDataException($"experiment {id}: checkpoint {checkpoint.Seq} is empty");
            strategy.RestoreState(state);
            told = checkpoint.ToldCount;
        }
        await runtime.Store.RecoverInFlightAsync(id).ConfigureAwait(false);
        var pending = await LoadTrialsAsync().ConfigureAwait(false);
        if (checkpoint is null && suggested > 0)
            throw new InvalidDataException($"experiment {id}: {suggested} trials are stored but there is no strategy checkpoint");
        initialized = true;
        if (status == ExperimentStatus.Created)
        {
            status = ExperimentStatus.Running;
            await runtime.Store.SetExperimentStatusAsync(id, status).ConfigureAwait(false);
        }
        PublishGauges();
        LogStarted(log, id, name, suggested, completed, pending.Count);
        AnswerProgressWaiters();
        if (status == ExperimentStatus.Running)
        {
            Submit(pending);
            ScheduleFlush();
        }
    }

    /// <summary>The strategy the spec names, wrapped in ASHA when the spec asks for multi-fidelity.</summary>
    internal static SearchStrategy CreateStrategy(ExperimentSpec spec, Search.Strategies.StrategyCatalog catalog)
    {
        var context = new StrategyContext
        {
            Space = spec.Space, Objectives = spec.Objectives, Seed = spec.Seed, MaxTrials = spec.Budget.MaxTrials,
            Options = (JsonObject)spec.Strategy.Options.DeepClone(),
        };
        // NSGA-II's constraint domination takes the spec's constraints unless its options give their own.
        if (spec.Constraints is { Count: > 0 } constraints && spec.Strategy.Name == Search.Strategies.Nsga2.Name && !context.Options.ContainsKey("constraints"))
            context.Options["constraints"] = constraints.DeepClone();
        var inner = catalog.Create(spec.Strategy.Name, context);
        try
        {
            var strategy = Search.Middleware.MiddlewareBuilder.Compose(inner, context, (JsonObject)spec.Strategy.Middleware.DeepClone());
            return spec.Fidelity is { } fidelity ? new AshaStrategy(strategy, spec.Objectives[0], fidelity, null) : strategy;
        }
        catch
        {
            inner.Dispose();
            throw;
        }
    }

    // Reads every trial once: numbering, counts, the best result, and which are pending (to queue again).
    private async Task<List<QueuedTrial>> LoadTrialsAsync()
    {
        var pending = new List<QueuedTrial>();
        long after = 0;
        while (true)
        {
            var page = await runtime.Store.QueryTrialsAsync(id, new TrialQuery { AfterSeq = after, Limit = TrialQuery.MaxLimit }).ConfigureAwait(false);
            foreach (var t in page)
            {
                trialIdBySeq[t.Seq] = t.Id;
                suggested = Math.Max(suggested, t.Seq);
                switch (t.Status)
                {
                    case Storage.TrialStatus.Completed:
                        completed++;
                        NoteBest(t.Seq, t.Fidelity, t.Metrics);
                        break;
                    case Storage.TrialStatus.Failed:
                        failed++;
                        break;
                    case Storage.TrialStatus.Pending:
                        var queued = Queue(t.Id, t.Seq, JsonNode.Parse(t.ConfigJson)!.AsObject(), t.Fidelity, t.Priority);
                        pending.Add(queued);
                        outstanding[t.Id] = queued;
                        break;
                }
                if (t.Attempt > 1) retries += t.Attempt - 1;
            }
            if (page.Count < TrialQuery.MaxLimit) return pending;
            after = page[^1].Seq;
        }
    }

    private QueuedTrial Queue(long trialId, long seq, JsonObject config, double fidelity, int priority)
    {
        var request = (JsonObject)spec.Fixed.DeepClone();
        foreach (var (key, value) in config) request[key] = value?.DeepClone();
        return new QueuedTrial(trialId, seq, config.ToJsonString(), request.ToJsonString(),
            spec.Fidelity is null ? null : fidelity, priority, TrialSeed(spec.Seed, seq));
    }

    /// <summary>A well-mixed 31-bit seed per trial, the same on every run of the spec.</summary>
    internal static int TrialSeed(long experimentSeed, long seq)
    {
        var z = unchecked((ulong)experimentSeed * 0x9E3779B97F4A7C15UL + (ulong)seq);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    private void Submit(List<QueuedTrial> trials)
    {
        if (trials.Count == 0) return;
        runtime.Scheduler.Tell(new EnqueueTrials(id, spec.Priority, spec.Evaluator, TimeSpan.FromSeconds(spec.Budget.TrialTimeLimitSeconds),
            Path.Combine(runtime.WorkRoot, id.ToString(), "trials"), trials), Self);
    }

    private void ScheduleFlush()
    {
        if (flushScheduled) return;
        flushScheduled = true;
        Self.Tell(new Flush());
    }

    private void OnFinished(TrialFinished message)
    {
        var trial = message.Trial;
        if (!outstanding.ContainsKey(trial.TrialId)) return; // withdrawn or cancelled meanwhile
        if (EndUserCancelled(trial.TrialId)) return;
        started.Remove(trial.TrialId);
        var outcome = message.Outcome;
        var logFile = AppendTrialLog(trial, message.Attempt, outcome);
        switch (outcome.Status)
        {
            case WorkerTrialStatus.Completed when outcome.Result is { } result:
                outstanding.Remove(trial.TrialId);
                var metrics = result.Metrics;
                TellStrategy(trial, metrics, null);
                completed++;
                NoteBest(trial.Seq, trial.Fidelity ?? 1, metrics);
                completions.Add(new TrialCompletion(trial.TrialId, message.Attempt, metrics, Artifacts([.. result.Artifacts, .. logFile is null ? [] : new[] { logFile }])));
                break;
            case WorkerTrialStatus.Cancelled when status != ExperimentStatus.Running:
                // Paused or cancelled: the trial goes back to pending (pause) or was cancelled in the store (cancel).
                outstanding.Remove(trial.TrialId);
                if (status == ExperimentStatus.Paused) requeues.Add((trial, message.Attempt, "paused while running"));
                break;
            case WorkerTrialStatus.Crashed or WorkerTrialStatus.TimedOut or WorkerTrialStatus.WorkerUnavailable or WorkerTrialStatus.Cancelled
                when message.Attempt < spec.Budget.MaxAttempts:
                // Lost through no fault of the configuration (or maybe so): run it again.
                retries++;
                LogRetry(log, trial.TrialId, message.Attempt, outcome.Status, outcome.Error);
                requeues.Add((trial, message.Attempt, $"attempt {message.Attempt}: {outcome.Status}: {outcome.Error}"));
                break;
            default:
                outstanding.Remove(trial.TrialId);
                var reason = $"{outcome.Status}: {outcome.Error ?? "no result"}";
                TellStrategy(trial, null, reason);
                failed++;
                completions.Add(TrialCompletion.Failure(trial.TrialId, message.Attempt, reason, logFile is null ? null : Artifacts([logFile])));
                break;
        }
        ScheduleFlush();
    }

    private void TellStrategy(QueuedTrial trial, IReadOnlyDictionary<string, double>? metrics, string? reason)
    {
        strategy.Tell(new Observation(trial.Seq, JsonNode.Parse(trial.StrategyConfig)!.AsObject(), trial.Fidelity ?? 1, metrics, reason));
        told++;
    }

    private void NoteBest(long seq, double fidelity, IReadOnlyDictionary<string, double>? metrics)
    {
        if (fidelity < fullFidelity || spec?.Objectives[0] is not { } objective || objective.Score(metrics) is not { } score) return;
        if (!spec.ConstraintSet.IsFeasible(metrics)) return;
        NoteFront(seq, metrics!);
        if (bestValue is null || score > objective.Score(new Dictionary<string, double> { [objective.Metric] = bestValue.Value }))
        {
            bestValue = metrics![objective.Metric];
            bestSeq = seq;
        }
    }

    // The Pareto front and the worst score seen per objective, kept for the telemetry gauges of a multi-objective search
    // (the same front the API computes from the store, see ExperimentFront); updated as results arrive.
    private void NoteFront(long seq, IReadOnlyDictionary<string, double> metrics)
    {
        gaugesDirty = true;
        if (spec.Objectives.Count < 2) return;
        paretoFront ??= new Search.Objectives.ParetoFront(spec.Objectives, spec.ConstraintSet);
        if (paretoFront.Scores(metrics) is not { } scores) return;
        paretoFront.Add(seq, metrics);
        nadir ??= (double[])scores.Clone();
        for (var i = 0; i < scores.Length; i++) nadir[i] = Math.Min(nadir[i], scores[i]);
    }

    private void PublishGauges()
    {
        if (!gaugesDirty) return;
        gaugesDirty = false;
        var multi = paretoFront is not null && nadir is not null;
        Observability.OrchestratorTelemetry.SetExperiment(id, name, bestValue,
            multi ? paretoFront!.HypervolumeOfScores(nadir!) : null,
            multi ? paretoFront!.Front.Count : bestValue is null ? 0 : 1);
    }

    /// <summary>The name of the file under a trial's work directory that keeps its log, attempt after attempt.</summary>
    public const string TrialLogFile = "trial.log";

    /// <summary>
    /// Appends one attempt's log to the trial's log file: the evaluator's log lines, then how the attempt ended and,
    /// for a worker that crashed, the tail of its stderr. Returns the file, or null when it cannot be written (the
    /// result matters more than its log, so that is logged and the trial goes on).
    /// </summary>
    private string? AppendTrialLog(QueuedTrial trial, int attempt, Workers.TrialOutcome outcome)
    {
        var path = Path.Combine(runtime.WorkRoot, id.ToString(), "trials", trial.Seq.ToString(CultureInfo.InvariantCulture), TrialLogFile);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var writer = File.AppendText(path);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--- attempt {attempt} of trial {trial.Seq} ({spec.Evaluator}) ---"));
            foreach (var line in outcome.Log) writer.WriteLine(line);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"--- {outcome.Status.ToString().ToLowerInvariant()} after {outcome.Duration.TotalSeconds:F1} s{(outcome.Error is { } e ? ": " + e : "")} ---"));
            if (outcome.StderrTail.Count > 0)
            {
                writer.WriteLine("--- worker stderr (tail) ---");
                foreach (var line in outcome.StderrTail) writer.WriteLine(line);
            }
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogTrialLogFailed(log, id, trial.Seq, path, e.Message);
            return null;
        }
    }

    private static List<ArtifactInfo>? Artifacts(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return null;
        var list = new List<ArtifactInfo>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) continue;
            // Small files in practice (a model's weights); hashed here once so a resumed search can verify them.
            list.Add(ArtifactInfo.FromFileAsync(Path.GetExtension(path).TrimStart('.') is { Length: > 0 } ext ? ext : "file", path).GetAwaiter().GetResult());
        }
        return list;
    }

    private async Task CancelTrialAsync(CancelTrial message)
    {
        var ok = status == ExperimentStatus.Running && outstanding.ContainsKey(message.TrialId) && !userCancelled.Contains(message.TrialId)
                 && await runtime.Store.CancelTrialAsync(message.TrialId).ConfigureAwait(false);
        if (ok)
        {
            userCancelled.Add(message.TrialId);
            runtime.Scheduler.Tell(new CancelScheduledTrial(id, message.TrialId), Self);
        }
        Sender.Tell(ok, Self);
    }

    // A trial the user cancelled has come back (cancelled, withdrawn or refused): the strategy learns it failed, and the
    // next flush checkpoints that (the store already says "cancelled", so there is no completion to commit).
    private bool EndUserCancelled(long trialId)
    {
        if (!userCancelled.Remove(trialId) || !outstanding.Remove(trialId, out var trial)) return false;
        started.Remove(trialId);
        TellStrategy(trial, null, "cancelled by the user");
        failed++;
        checkpointDirty = true;
        ScheduleFlush();
        return true;
    }

    private void OnStartRefused(TrialStartRefused message)
    {
        if (EndUserCancelled(message.Trial.TrialId)) return;
        outstanding.Remove(message.Trial.TrialId);
        LogStartRefused(log, message.Trial.TrialId, message.Reason);
        ScheduleFlush();
    }

    private void OnWithdrawn(TrialsWithdrawn message)
    {
        foreach (var trialId in message.TrialIds)
            if (!EndUserCancelled(trialId)) outstanding.Remove(trialId);
        ScheduleFlush();
    }

    private async Task FlushAsync()
    {
        flushScheduled = false;
        if (!initialized || ended) return;
        if (requeues.Count > 0)
        {
            var again = new List<QueuedTrial>();
            foreach (var (trial, attempt, reason) in requeues)
            {
                if (attempt == 0 || await runtime.Store.RequeueTrialAsync(trial.TrialId, attempt, reason).ConfigureAwait(false))
                {
                    if (status == ExperimentStatus.Running) again.Add(trial);
                }
                else outstanding.Remove(trial.TrialId);
            }
            requeues.Clear();
            Submit(again);
        }
        if (checkpointDirty && completions.Count == 0)
            await runtime.Store.SaveCheckpointAsync(id, State(), told).ConfigureAwait(false);
        checkpointDirty = false;
        if (completions.Count > 0)
        {
            var batch = completions.ToList();
            completions.Clear();
            var commit = await runtime.Store.CompleteTrialsAndCheckpointAsync(id, batch, State(), told).ConfigureAwait(false);
            if (!commit.Committed)
                // The strategy was told results the store refused (a trial cancelled meanwhile): its state has diverged
                // from the database, so this actor fails and its supervisor restarts it from the last checkpoint.
                throw new InvalidOperationException($"experiment {id}: the store refused results of trials {string.Join(", ", commit.RefusedTrialIds)}; restarting from the last checkpoint");
        }
        PublishGauges();
        await FillAsync().ConfigureAwait(false);
        await MaybeEndAsync().ConfigureAwait(false);
    }

    private ReadOnlyMemory<byte> State() => Encoding.UTF8.GetBytes(strategy.SaveState().ToJsonString());

    private async Task FillAsync()
    {
        if (status != ExperimentStatus.Running || strategy.IsFinished) return;
        var room = (long)spec.Budget.MaxConcurrent - outstanding.Count;
        var left = spec.Budget.MaxTrials - suggested;
        var count = (int)Math.Min(room, left);
        if (count <= 0) return;
        IReadOnlyList<Suggestion> suggestions;
        using (var propose = Observability.OrchestratorTelemetry.Source.StartActivity("propose"))
        {
            propose?.SetTag("autocompress.experiment", id.ToString());
            propose?.SetTag("autocompress.strategy", spec.Strategy.Name);
            suggestions = strategy.Ask(count);
            propose?.SetTag("autocompress.suggestions", suggestions.Count);
        }
        strategyStalled = suggestions.Count == 0;
        if (suggestions.Count == 0) return;
        var trials = suggestions.Select(s => new NewTrial(s.Config.ToJsonString(), s.Fidelity,
            s.ParentIndex is { } parent ? trialIdBySeq.GetValueOrDefault(parent) is var p and > 0 ? p
                : throw new InvalidOperationException($"strategy named parent suggestion {parent}, which does not exist") : null,
            s.Priority)).ToList();
        var (ids, _) = await runtime.Store.AddTrialsAndCheckpointAsync(id, trials, State(), told).ConfigureAwait(false);
        var queued = new List<QueuedTrial>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var seq = ++suggested;
            trialIdBySeq[seq] = ids[i];
            var trial = Queue(ids[i], seq, suggestions[i].Config, suggestions[i].Fidelity, suggestions[i].Priority);
            outstanding[ids[i]] = trial;
            queued.Add(trial);
        }
        Submit(queued);
    }

    private async Task MaybeEndAsync()
    {
        if (status != ExperimentStatus.Running || outstanding.Count > 0 || requeues.Count > 0 || completions.Count > 0) return;
        if (suggested < spec.Budget.MaxTrials && !strategy.IsFinished && !strategyStalled) return;
        status = ExperimentStatus.Completed;
        await runtime.Store.SetExperimentStatusAsync(id, status).ConfigureAwait(false);
        LogEnded(log, id, status, completed, failed);
        End();
    }

    private async Task FailAsync(string reason)
    {
        status = ExperimentStatus.Failed;
        error = reason;
        await runtime.Store.SetExperimentStatusAsync(id, status, reason).ConfigureAwait(false);
        LogFailed(log, id, reason);
        End();
    }

    private void AnswerProgressWaiters()
    {
        foreach (var waiter in progressWaiters) waiter.Tell(Progress(), Self);
        progressWaiters.Clear();
    }

    private void End()
    {
        AnswerProgressWaiters();
        var progress = Progress();
        foreach (var waiter in waiters) waiter.Tell(progress, Self);
        waiters.Clear();
        Context.System.EventStream.Publish(new ExperimentEnded(id, status, error));
        // The manager answers its waiters with this account (it knows retries, the store does not) and then stops
        // this actor; stopping here would let the Terminated signal overtake the message.
        ended = true;
        Context.Parent.Tell(progress, Self);
    }

    private async Task PauseAsync()
    {
        if (status == ExperimentStatus.Running)
        {
            status = ExperimentStatus.Paused;
            await runtime.Store.SetExperimentStatusAsync(id, status).ConfigureAwait(false);
            runtime.Scheduler.Tell(new WithdrawExperiment(id, CancelRunning: false), Self);
        }
        Sender.Tell(Progress(), Self);
    }

    private async Task ResumeAsync()
    {
        if (status == ExperimentStatus.Paused)
        {
            status = ExperimentStatus.Running;
            await runtime.Store.SetExperimentStatusAsync(id, status).ConfigureAwait(false);
            // Trials dropped from the queue while paused are pending in the store: queue them again.
            var pending = await runtime.Store.QueryTrialsAsync(id, new TrialQuery { Statuses = [Storage.TrialStatus.Pending], Limit = TrialQuery.MaxLimit }).ConfigureAwait(false);
            var again = new List<QueuedTrial>();
            foreach (var t in pending)
            {
                if (outstanding.ContainsKey(t.Id)) continue;
                var queued = Queue(t.Id, t.Seq, JsonNode.Parse(t.ConfigJson)!.AsObject(), t.Fidelity, t.Priority);
                outstanding[t.Id] = queued;
                again.Add(queued);
            }
            Submit(again);
            ScheduleFlush();
        }
        Sender.Tell(Progress(), Self);
    }

    private async Task CancelAsync()
    {
        if (status is ExperimentStatus.Running or ExperimentStatus.Paused or ExperimentStatus.Created)
        {
            status = ExperimentStatus.Cancelled;
            runtime.Scheduler.Tell(new WithdrawExperiment(id, CancelRunning: true), Self);
            await runtime.Store.CancelOpenTrialsAsync(id).ConfigureAwait(false);
            await runtime.Store.SetExperimentStatusAsync(id, status).ConfigureAwait(false);
            outstanding.Clear();
            started.Clear();
            Sender.Tell(Progress(), Self);
            End();
            return;
        }
        Sender.Tell(Progress(), Self);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "experiment {Id} '{Name}' started: {Suggested} trials so far, {Completed} completed, {Pending} to run")]
    private static partial void LogStarted(ILogger logger, Guid id, string name, long suggested, long completed, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trial {TrialId} attempt {Attempt} lost ({Status}: {Error}); it will run again")]
    private static partial void LogRetry(ILogger logger, long trialId, int attempt, WorkerTrialStatus status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "experiment {Id}: trial {Seq}: cannot write its log {Path}: {Error}")]
    private static partial void LogTrialLogFailed(ILogger logger, Guid id, long seq, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trial {TrialId} could not start: {Reason}")]
    private static partial void LogStartRefused(ILogger logger, long trialId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "experiment {Id} ended {Status}: {Completed} completed, {Failed} failed")]
    private static partial void LogEnded(ILogger logger, Guid id, ExperimentStatus status, long completed, long failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "experiment {Id} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid id, string reason);
}
