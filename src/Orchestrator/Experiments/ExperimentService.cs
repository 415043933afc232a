using AutoCompress.Actors;
using AutoCompress.Orchestrator.Workers;
using AutoCompress.Search.Strategies;
using AutoCompress.Storage;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>
/// The orchestrator, assembled: the experiment store, the worker pool, an actor system with the trial scheduler and
/// the experiment manager. Starting it resumes every experiment that was running when the last process stopped (or
/// was killed): in-flight trials go back to pending and run again; completed ones are kept exactly once.
/// </summary>
public sealed class ExperimentService : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);
    private readonly ActorSystem system;
    private readonly IActorRef scheduler;
    private readonly IActorRef manager;
    private int disposed;

    private ExperimentService(ExperimentStore store, WorkerPool workers, ActorSystem system, IActorRef scheduler, IActorRef manager)
    {
        Store = store;
        Workers = workers;
        this.system = system;
        this.scheduler = scheduler;
        this.manager = manager;
    }

    public ExperimentStore Store { get; }

    public WorkerPool Workers { get; }

    /// <summary>How many experiments were resumed at start.</summary>
    public int Resumed { get; private set; }

    /// <summary>Opens the store, starts the workers and the actors, and resumes unfinished experiments.</summary>
    public static async Task<ExperimentService> StartAsync(ExperimentServiceOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var store = await ExperimentStore.OpenAsync(options.DatabasePath, (options.Store ?? new ExperimentStoreOptions()) with { LoggerFactory = options.LoggerFactory }, cancel)
            .ConfigureAwait(false);
        WorkerPool? pool = null;
        ActorSystem? system = null;
        try
        {
            pool = new WorkerPool(options.Workers, options.LoggerFactory);
            system = ActorSystem.Create("autocompress", new ActorSystemOptions { LoggerFactory = options.LoggerFactory });
            var p = pool;
            var scheduler = system.ActorOf(Props.Create(() => new TrialScheduler(p, store, options.Workers.Slots, options.InProcessSlots))
                .WithMailboxCapacity(100_000), "scheduler");
            var runtime = new ExperimentRuntime(store, scheduler, options.Strategies ?? new StrategyCatalog(), Path.GetFullPath(options.WorkRoot));
            var manager = system.ActorOf(Props.Create(() => new ExperimentManager(runtime, options.EvaluatorKnown)), "experiments");
            var service = new ExperimentService(store, pool, system, scheduler, manager);
            service.Resumed = await manager.Ask<int>(new ExperimentManager.ResumeAll(), AskTimeout, cancel).ConfigureAwait(false);
            return service;
        }
        catch
        {
            if (system is not null) await system.Terminate().ConfigureAwait(false);
            if (pool is not null) await pool.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates and starts an experiment. A bad spec throws <see cref="ExperimentSpecException"/> naming the field; nothing is stored then.</summary>
    public async Task<Guid> CreateAsync(string specJson, CancellationToken cancel = default) =>
        (await manager.Ask<ExperimentCreated>(new CreateExperiment(specJson), AskTimeout, cancel).ConfigureAwait(false)).ExperimentId;

    public Task<ExperimentProgress> GetProgressAsync(Guid id, CancellationToken cancel = default) =>
        manager.Ask<ExperimentProgress>(new GetProgress(id), AskTimeout, cancel);

    public Task<ExperimentProgress> PauseAsync(Guid id, CancellationToken cancel = default) =>
        manager.Ask<ExperimentProgress>(new PauseExperiment(id), AskTimeout, cancel);

    public Task<ExperimentProgress> ResumeAsync(Guid id, CancellationToken cancel = default) =>
        manager.Ask<ExperimentProgress>(new ResumeExperiment(id), AskTimeout, cancel);

    public Task<ExperimentProgress> CancelAsync(Guid id, CancellationToken cancel = default) =>
        manager.Ask<ExperimentProgress>(new CancelExperiment(id), AskTimeout, cancel);

    /// <summary>Cancels one queued or running trial of a running experiment; false when it had already ended.</summary>
    public Task<bool> CancelTrialAsync(Guid id, long trialId, CancellationToken cancel = default) =>
        manager.Ask<bool>(new CancelTrial(id, trialId), AskTimeout, cancel);

    /// <summary>Waits until the experiment has ended (completed, failed or cancelled) and returns its final progress.</summary>
    public Task<ExperimentProgress> WaitAsync(Guid id, CancellationToken cancel = default) =>
        manager.Ask<ExperimentProgress>(new WaitForEnd(id), Timeout.InfiniteTimeSpan, cancel);

    /// <summary>An experiment's progress read from a store alone (no service needed), or null when it does not exist.</summary>
    public static Task<ExperimentProgress?> ReadProgressAsync(ExperimentStore store, Guid id) => ExperimentManager.ProgressFromStoreAsync(store, id);

    public Task<SchedulerStatus> GetSchedulerStatusAsync(CancellationToken cancel = default) =>
        scheduler.Ask<SchedulerStatus>(GetSchedulerStatus.Instance, AskTimeout, cancel);

    /// <summary>
    /// Stops the actors (running trials are cancelled and stay "running" in the store, so the next start re-runs
    /// them), then the workers, then closes the store. Every committed result and checkpoint is already durable.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await system.Terminate().ConfigureAwait(false);
        await Workers.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
