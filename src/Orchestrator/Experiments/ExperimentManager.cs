using AutoCompress.Actors;
using AutoCompress.Contracts.Search;
using AutoCompress.Storage;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// The parent of all experiment actors: creates experiments from specs (validating everything before anything is
/// stored, so a bad spec leaves nothing behind), resumes the unfinished ones after a restart, routes control messages,
/// and supervises: an experiment actor that throws is restarted from its last checkpoint, up to a budget, and an
/// experiment whose actor keeps failing is marked failed instead of taking the service down.
/// </summary>
internal sealed partial class ExperimentManager : ReceiveActor
{
    /// <summary>Starts actors for every running (or created) experiment in the store; replies with how many.</summary>
    public sealed record ResumeAll;

    private readonly ExperimentRuntime runtime;
    private readonly Func<string, bool>? evaluatorKnown;
    private readonly ILogger log;
    private readonly Dictionary<Guid, IActorRef> children = [];
    private readonly Dictionary<Guid, List<IActorRef>> waiters = [];

    public ExperimentManager(ExperimentRuntime runtime, Func<string, bool>? evaluatorKnown)
    {
        this.runtime = runtime;
        this.evaluatorKnown = evaluatorKnown;
        log = Context.GetLogger();
        ReceiveAsync<ResumeAll>(_ => ResumeAllAsync());
        ReceiveAsync<CreateExperiment>(CreateAsync);
        ReceiveAsync<PauseExperiment>(m => RouteAsync(m.ExperimentId, m));
        ReceiveAsync<CancelExperiment>(m => RouteAsync(m.ExperimentId, m));
        ReceiveAsync<GetProgress>(m => RouteAsync(m.ExperimentId, m));
        ReceiveAsync<ResumeExperiment>(ResumeAsync);
        Receive<CancelTrial>(m =>
        {
            if (children.TryGetValue(m.ExperimentId, out var child)) child.Tell(m, Sender);
            else Sender.Tell(false, Self); // only a running experiment's trials can be cancelled
        });
        ReceiveAsync<WaitForEnd>(WaitAsync);
        ReceiveAsync<Terminated>(OnTerminatedAsync);
        Receive<ExperimentProgress>(OnFinalProgress);
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(3, TimeSpan.FromMinutes(1), _ => Directive.Restart);

    private async Task ResumeAllAsync()
    {
        var count = 0;
        foreach (var status in new[] { ExperimentStatus.Running, ExperimentStatus.Created })
            foreach (var experiment in await runtime.Store.ListExperimentsAsync(status).ConfigureAwait(false))
            {
                Spawn(experiment.Id);
                count++;
            }
        Sender.Tell(count, Self);
    }

    private IActorRef Spawn(Guid id)
    {
        if (children.TryGetValue(id, out var existing)) return existing;
        var child = Context.ActorOf(Props.Create(() => new ExperimentActor(id, runtime)), id.ToString("N"));
        Context.Watch(child);
        children[id] = child;
        return child;
    }

    private async Task CreateAsync(CreateExperiment message)
    {
        try
        {
            var spec = ExperimentSpec.Parse(message.SpecJson);
            // Everything that can be checked is checked before the experiment is stored.
            ExperimentActor.CreateStrategy(spec, runtime.Strategies).Dispose();
            if (evaluatorKnown is not null && !evaluatorKnown(spec.Evaluator))
                throw new ExperimentSpecException($"spec: evaluator: no evaluator plugin '{spec.Evaluator}' is loaded");
            var experiment = await runtime.Store.CreateExperimentAsync(spec.Name, spec.ToJson()).ConfigureAwait(false);
            Spawn(experiment.Id);
            Sender.Tell(new ExperimentCreated(experiment.Id), Self);
        }
        catch (Exception e) when (e is ExperimentSpecException or SearchSpaceException)
        {
            Sender.Tell(new Status.Failure(e is ExperimentSpecException ? e : new ExperimentSpecException($"spec: strategy: {e.Message}", e)), Self);
        }
        catch (Exception e)
        {
            // The caller learns why; the manager itself is fine and keeps running.
            Sender.Tell(new Status.Failure(e), Self);
            LogCreateFailed(log, e);
        }
    }

    private async Task RouteAsync(Guid id, object message)
    {
        if (children.TryGetValue(id, out var child))
        {
            child.Tell(message, Sender);
            return;
        }
        // Not running: answer from the store (a cancel of a paused experiment still cancels it).
        if (message is CancelExperiment)
        {
            var experiment = await runtime.Store.GetExperimentAsync(id).ConfigureAwait(false);
            if (experiment?.Status is ExperimentStatus.Paused or ExperimentStatus.Created)
            {
                await runtime.Store.CancelOpenTrialsAsync(id).ConfigureAwait(false);
                await runtime.Store.SetExperimentStatusAsync(id, ExperimentStatus.Cancelled).ConfigureAwait(false);
            }
        }
        await ReplyFromStoreAsync(id, Sender).ConfigureAwait(false);
    }

    private async Task ResumeAsync(ResumeExperiment message)
    {
        if (children.TryGetValue(message.ExperimentId, out var child))
        {
            child.Tell(message, Sender);
            return;
        }
        var experiment = await runtime.Store.GetExperimentAsync(message.ExperimentId).ConfigureAwait(false);
        if (experiment?.Status == ExperimentStatus.Paused)
        {
            await runtime.Store.SetExperimentStatusAsync(message.ExperimentId, ExperimentStatus.Running).ConfigureAwait(false);
            Spawn(message.ExperimentId).Tell(new GetProgress(message.ExperimentId), Sender);
            return;
        }
        await ReplyFromStoreAsync(message.ExperimentId, Sender).ConfigureAwait(false);
    }

    private async Task WaitAsync(WaitForEnd message)
    {
        if (children.ContainsKey(message.ExperimentId))
        {
            if (!waiters.TryGetValue(message.ExperimentId, out var list)) waiters[message.ExperimentId] = list = [];
            list.Add(Sender);
            return;
        }
        await ReplyFromStoreAsync(message.ExperimentId, Sender).ConfigureAwait(false);
    }

    private async Task OnTerminatedAsync(Terminated message)
    {
        var id = children.FirstOrDefault(kv => kv.Value.Equals(message.ActorRef)).Key;
        if (id == Guid.Empty) return;
        children.Remove(id);
        var experiment = await runtime.Store.GetExperimentAsync(id).ConfigureAwait(false);
        if (experiment?.Status is ExperimentStatus.Running or ExperimentStatus.Created)
        {
            // It stopped without ending: its actor kept failing past the restart budget.
            const string Reason = "the experiment's actor failed repeatedly (see the service log); resume it after fixing the cause";
            await runtime.Store.SetExperimentStatusAsync(id, ExperimentStatus.Failed, Reason).ConfigureAwait(false);
            LogGaveUp(log, id);
        }
        // Waiters not answered by the actor's own final account (it died without one) get the store's.
        if (waiters.Remove(id, out var list))
            foreach (var waiter in list) await ReplyFromStoreAsync(id, waiter).ConfigureAwait(false);
    }

    // An experiment actor's last word before it stops: its final progress (which knows retries, unlike the store).
    private void OnFinalProgress(ExperimentProgress progress)
    {
        if (waiters.Remove(progress.ExperimentId, out var list))
            foreach (var waiter in list) waiter.Tell(progress, Self);
        // Forget it now: messages routed to it from here on would become dead letters while it stops.
        if (children.Remove(progress.ExperimentId, out var child)) Context.Stop(child);
    }

    private async Task ReplyFromStoreAsync(Guid id, IActorRef to)
    {
        var progress = await ProgressFromStoreAsync(runtime.Store, id).ConfigureAwait(false);
        to.Tell(progress is null ? new Status.Failure(new KeyNotFoundException($"experiment {id} does not exist")) : progress, Self);
    }

    /// <summary>Progress of an experiment that has no actor (ended, paused), read from the store.</summary>
    internal static async Task<ExperimentProgress?> ProgressFromStoreAsync(ExperimentStore store, Guid id)
    {
        var experiment = await store.GetExperimentAsync(id).ConfigureAwait(false);
        if (experiment is null) return null;
        ExperimentSpec? spec = null;
        try
        {
            spec = ExperimentSpec.Parse(experiment.SpecJson);
        }
        catch (ExperimentSpecException)
        {
        }
        var all = await store.CountTrialsAsync(id).ConfigureAwait(false);
        var done = await store.CountTrialsAsync(id, [Storage.TrialStatus.Completed]).ConfigureAwait(false);
        var failed = await store.CountTrialsAsync(id, [Storage.TrialStatus.Failed]).ConfigureAwait(false);
        double? best = null;
        long? bestSeq = null;
        if (spec?.Objectives[0] is { } objective)
        {
            var top = await store.QueryTrialsAsync(id, new TrialQuery
            {
                Statuses = [Storage.TrialStatus.Completed], OrderBy = TrialOrder.Metric, Metric = objective.Metric,
                Descending = objective.Direction == Direction.Maximize, Limit = 1,
            }).ConfigureAwait(false);
            if (top is [var t] && t.Metrics?.TryGetValue(objective.Metric, out var v) == true)
                (best, bestSeq) = (v, t.Seq);
        }
        return new ExperimentProgress(id, experiment.Name, experiment.Status, all, spec?.Budget.MaxTrials ?? 0, done, failed, 0, 0, 0,
            best, bestSeq, experiment.Error);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "creating an experiment failed")]
    private static partial void LogCreateFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "experiment {Id} stopped after repeated failures; marked failed")]
    private static partial void LogGaveUp(ILogger logger, Guid id);
}
