using AutoCompress.Contracts.Evaluation;
using AutoCompress.Plugins;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// The worker side of the protocol, run by <c>autocompress worker</c>: says Ready, then takes trial after
/// trial from its input, one at a time, running each on the thread pool so that it can still read a Cancel
/// (which cancels the trial's token) or a Shutdown. The trial's log lines, result or exception go back as
/// messages. When its input ends the parent is gone, and the worker exits even if a trial still runs.
/// </summary>
public sealed class WorkerLoop : IDisposable
{
    /// <summary>Exit code after Shutdown or the end of input.</summary>
    public const int ExitNormal = 0;

    /// <summary>Exit code when the parent broke the protocol.</summary>
    public const int ExitProtocolError = 2;

    private const int MaxDetailChars = 8_000;

    private readonly Stream input;
    private readonly Stream output;
    private readonly EvaluatorCatalog catalog;
    private readonly PluginHost plugins;
    private readonly ReadyMessage ready;
    private readonly TextWriter log;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Lock gate = new();
    private RunningTrial? current;

    private sealed class RunningTrial(long id)
    {
        public long Id { get; } = id;
        public CancellationTokenSource Cancel { get; } = new();
    }

    /// <param name="input">Messages from the parent (the worker's stdin).</param>
    /// <param name="output">Messages to the parent (the worker's original stdout).</param>
    /// <param name="plugins">A host that has loaded the worker's plugins.</param>
    /// <param name="log">The worker's own log (stderr).</param>
    public WorkerLoop(Stream input, Stream output, PluginHost plugins, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        this.plugins = plugins;
        this.input = input ?? throw new ArgumentNullException(nameof(input));
        this.output = output ?? throw new ArgumentNullException(nameof(output));
        this.log = log ?? throw new ArgumentNullException(nameof(log));
        catalog = new EvaluatorCatalog(plugins);
        var loaded = plugins.Plugins.Where(p => p.State == PluginState.Loaded).Select(p => p.Id).ToList();
        ready = new ReadyMessage(WorkerProtocol.Version, Environment.ProcessId, loaded, catalog.Ids, catalog.Broken);
    }

    /// <summary>Serves the parent until Shutdown, the end of input or a protocol error; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancel = default)
    {
        Log($"worker {Environment.ProcessId} ready: evaluators {string.Join(", ", ready.Evaluators)}");
        if (!await TrySendAsync(ready).ConfigureAwait(false)) return ExitNormal;
        while (true)
        {
            WorkerMessage? message;
            try
            {
                message = await WorkerProtocol.ReadAsync(input, cancel).ConfigureAwait(false);
            }
            catch (WorkerProtocolException e)
            {
                Log($"protocol error from the orchestrator, exiting: {e.Message}");
                CancelCurrent();
                return ExitProtocolError;
            }
            catch (OperationCanceledException)
            {
                CancelCurrent();
                return ExitNormal;
            }
            catch (IOException e)
            {
                Log($"reading the orchestrator's messages failed, exiting: {e.Message}");
                CancelCurrent();
                return ExitNormal;
            }
            switch (message)
            {
                case null:
                    Log("input closed (the orchestrator is gone), exiting");
                    CancelCurrent();
                    return ExitNormal;
                case ShutdownMessage:
                    Log("shutdown requested, exiting");
                    CancelCurrent();
                    return ExitNormal;
                case CancelMessage c:
                    lock (gate)
                        if (current?.Id == c.TrialId) current.Cancel.Cancel();
                    break;
                case RunMessage run:
                    await StartAsync(run).ConfigureAwait(false);
                    break;
                default:
                    Log($"protocol error from the orchestrator, exiting: it sent a '{message.GetType().Name}', which only a worker sends");
                    CancelCurrent();
                    return ExitProtocolError;
            }
        }
    }

    private async Task StartAsync(RunMessage run)
    {
        long? busy = null;
        RunningTrial trial;
        lock (gate)
        {
            if (current is not null) busy = current.Id;
            trial = current ??= new RunningTrial(run.Request.TrialId);
        }
        if (busy is { } other)
        {
            await TrySendAsync(new FailedMessage(run.Request.TrialId, $"the worker is busy with trial {other}",
                typeof(InvalidOperationException).FullName!)).ConfigureAwait(false);
            return;
        }
        _ = Task.Run(() => RunTrialAsync(trial, run));
    }

    private async Task RunTrialAsync(RunningTrial trial, RunMessage run)
    {
        var sink = new LogSink(this, trial.Id);
        WorkerMessage reply;
        try
        {
            var evaluator = catalog.Get(run.Evaluator);
            Log($"trial {trial.Id}: {evaluator.Id} {run.Request.Config}");
            using var span = Observability.EvaluateSpan.Start(run.Request, evaluator.Id, inProcess: false);
            var result = await evaluator.EvaluateAsync(run.Request, new EvaluationContext { Log = sink, Plugins = plugins }, trial.Cancel.Token).ConfigureAwait(false);
            var done = result is null ? null : new DoneMessage(trial.Id, result);
            var problem = done is null ? "returned no result" : done.Problem();
            reply = problem is null ? done! : new FailedMessage(trial.Id, $"{evaluator.Id} {problem}", typeof(InvalidOperationException).FullName!);
        }
        catch (Exception e)
        {
            // An evaluator may throw anything; the trial fails, the worker carries on.
            Log($"trial {trial.Id} failed: {e}");
            var detail = e.ToString();
            reply = new FailedMessage(trial.Id, e.Message, e.GetType().FullName ?? e.GetType().Name,
                detail.Length > MaxDetailChars ? detail[..MaxDetailChars] + "..." : detail);
        }
        sink.Close();
        lock (gate)
        {
            if (ReferenceEquals(current, trial)) current = null;
            trial.Cancel.Dispose();
        }
        await TrySendAsync(reply).ConfigureAwait(false);
    }

    private void CancelCurrent()
    {
        lock (gate) current?.Cancel.Cancel();
    }

    private async Task<bool> TrySendAsync(WorkerMessage message)
    {
        await writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await WorkerProtocol.WriteAsync(output, message).ConfigureAwait(false);
            return true;
        }
        catch (IOException e)
        {
            // The parent is gone; the read loop sees the end of input and exits.
            Log($"cannot send {message.GetType().Name}: {e.Message}");
            return false;
        }
        finally
        {
            writeLock.Release();
        }
    }

    public void Dispose() => writeLock.Dispose();

    private void Log(string line)
    {
        lock (log) log.WriteLine(line);
    }

    /// <summary>
    /// The trial's <see cref="EvaluationContext.Log"/>: each line is sent before Report returns, so lines
    /// arrive in order and before the trial's outcome; lines reported after the trial ended go to stderr.
    /// </summary>
    private sealed class LogSink(WorkerLoop loop, long trialId) : IProgress<string>
    {
        private readonly Lock gate = new();
        private bool closed;

        public void Report(string value)
        {
            lock (gate)
            {
                if (closed) loop.Log($"trial {trialId} (already ended): {value}");
                else loop.TrySendAsync(new LogMessage(trialId, value ?? "")).GetAwaiter().GetResult();
            }
        }

        public void Close()
        {
            lock (gate) closed = true;
        }
    }
}
