using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using AutoCompress.Contracts.Evaluation;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// One worker child process as the parent sees it: it starts the process, reads its messages and stderr
/// in the background, checks every message against what the worker may say at that moment, and runs one
/// trial at a time on it. A garbled or out-of-place message gets the worker killed with the reason
/// recorded; the trial then ends as <see cref="TrialStatus.Crashed"/>, never with an exception.
/// </summary>
internal sealed partial class WorkerProcess : IAsyncDisposable
{
    private const long NoTrial = long.MinValue;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StderrDrainWait = TimeSpan.FromSeconds(2);

    private readonly Process process;
    private readonly Stream stdin;
    private readonly WorkerPoolOptions options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Channel<WorkerMessage> inbox = Channel.CreateUnbounded<WorkerMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly StderrTail tail;
    // Set once the process has exited and its output is drained (the inbox may still hold unread messages).
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task stderrLoop;
    private readonly Task readLoop;
    private long currentTrial = NoTrial;
    private bool readySeen;
    private volatile string? fault;
    private volatile string? killReason;
    private int? exitCode;

    private WorkerProcess(Process process, int id, WorkerPoolOptions options, ILogger logger)
    {
        this.process = process;
        this.options = options;
        this.logger = logger;
        Id = id;
        Pid = process.Id;
        tail = new StderrTail(options.StderrTailLines);
        stdin = process.StandardInput.BaseStream;
        stderrLoop = Task.Run(ReadStderrAsync);
        readLoop = Task.Run(ReadMessagesAsync);
    }

    /// <summary>The pool's number for this worker.</summary>
    public int Id { get; }

    public int Pid { get; }

    /// <summary>What the worker said when it became ready.</summary>
    public ReadyMessage? Ready { get; private set; }

    /// <summary>True once the process has exited (or been killed) and its output is drained.</summary>
    public bool HasExited => exited.Task.IsCompleted;

    /// <summary>The protocol violation that got the worker killed, if any.</summary>
    public string? Fault => fault;

    /// <summary>True when the pool killed the worker (time limit, cancellation), as opposed to it dying on its own.</summary>
    public bool KilledByPool => killReason is not null && fault is null;

    /// <summary>Starts a worker and waits for its Ready; a <see cref="WorkerStartException"/> says why that failed.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerPoolOptions options, int id, ILogger logger, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(options.Worker.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in options.Worker.Arguments) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("worker");
        foreach (var dir in options.PluginDirectories)
        {
            psi.ArgumentList.Add("--plugins");
            psi.ArgumentList.Add(Path.GetFullPath(dir));
        }
        foreach (var (k, v) in options.Environment) psi.Environment[k] = v;

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new WorkerStartException($"cannot run '{options.Worker}': no process was started");
        }
        catch (Win32Exception e)
        {
            throw new WorkerStartException($"cannot run '{options.Worker}': {e.Message}", e);
        }
        var worker = new WorkerProcess(process, id, options, logger);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(options.StartTimeout);
        try
        {
            if (await worker.inbox.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false) && worker.inbox.Reader.TryRead(out var first))
            {
                worker.Ready = (ReadyMessage)first; // the read loop lets nothing else through first
                return worker;
            }
            throw new WorkerStartException($"worker {id} (pid {worker.Pid}) {worker.DescribeEnd()} before it was ready{TailNote(worker.tail.Snapshot(), 10)}");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            await worker.KillAsync("it did not say ready in time").ConfigureAwait(false);
            await worker.DisposeAsync().ConfigureAwait(false);
            throw new WorkerStartException(
                $"worker {id} (pid {worker.Pid}) did not say ready within {options.StartTimeout.TotalSeconds:F0} s and was killed{TailNote(worker.tail.Snapshot(), 10)}");
        }
        catch
        {
            await worker.KillAsync("its start failed or was cancelled").ConfigureAwait(false);
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one trial on this worker; never throws for anything the worker does.</summary>
    public async Task<TrialOutcome> RunTrialAsync(EvaluationRequest request, string evaluatorId, TimeSpan timeLimit,
        IProgress<string>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var log = new TrialLog(options.MaxLogLines);
        TrialStatus? stopping = null;
        string StopReason() => stopping == TrialStatus.TimedOut
            ? $"the trial exceeded its time limit of {Seconds(timeLimit)} s"
            : "the trial was cancelled";
        TrialOutcome Outcome(TrialStatus status, string? error) => new()
        {
            TrialId = request.TrialId, Status = status, Error = error, WorkerId = Id, WorkerPid = Pid,
            Duration = clock.Elapsed, Log = log.Lines,
        };
        TrialOutcome Ended(TrialStatus status, string error) => Outcome(status, error) with
        {
            ExitCode = exitCode, Signal = exitCode is { } c ? ExitStatus.Signal(c) : null, StderrTail = tail.Snapshot(),
        };
        async Task<TrialOutcome> GoneAsync()
        {
            await exited.Task.ConfigureAwait(false);
            var what = $"worker {Id} (pid {Pid}) {DescribeEnd()}";
            return stopping is { } s
                ? Ended(s, $"{StopReason()}; {what} while stopping{TailNote(tail.Snapshot(), 5)}")
                : Ended(TrialStatus.Crashed, $"{what} during the trial{TailNote(tail.Snapshot(), 5)}");
        }

        Interlocked.Exchange(ref currentTrial, request.TrialId);
        try
        {
            if (!await TrySendAsync(new RunMessage(request, evaluatorId)).ConfigureAwait(false)) return await GoneAsync().ConfigureAwait(false);
            using var limit = new CancellationTokenSource(timeLimit);
            using var running = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancel);
            using var grace = new CancellationTokenSource();
            while (true)
            {
                WorkerMessage? message;
                try
                {
                    if (!await inbox.Reader.WaitToReadAsync(stopping is null ? running.Token : grace.Token).ConfigureAwait(false))
                        return await GoneAsync().ConfigureAwait(false);
                    if (!inbox.Reader.TryRead(out message)) continue;
                }
                catch (OperationCanceledException) when (stopping is null)
                {
                    stopping = cancel.IsCancellationRequested ? TrialStatus.Cancelled : TrialStatus.TimedOut;
                    LogStopping(Id, request.TrialId, stopping.Value);
                    await TrySendAsync(new CancelMessage(request.TrialId)).ConfigureAwait(false);
                    grace.CancelAfter(options.CancelGrace);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    await KillAsync($"trial {request.TrialId} did not stop within the cancel grace period").ConfigureAwait(false);
                    return Ended(stopping!.Value,
                        $"{StopReason()}; the evaluator did not stop within the {Seconds(options.CancelGrace)} s grace period, so worker {Id} (pid {Pid}) was killed");
                }
                switch (message)
                {
                    case LogMessage l:
                        log.Add(l.Line);
                        Forward(progress, l.Line);
                        break;
                    case DoneMessage d:
                        return Outcome(TrialStatus.Completed, null) with { Result = d.Result };
                    case FailedMessage f when stopping is { } s && IsCancellation(f.ExceptionType):
                        return Outcome(s, $"{StopReason()}; the evaluator stopped when asked");
                    case FailedMessage f:
                        return Outcome(TrialStatus.Failed, f.Error) with { ExceptionType = f.ExceptionType, ErrorDetail = f.Detail };
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref currentTrial, NoTrial);
        }
    }

    /// <summary>Passes a log line on to the caller; a throwing receiver must not derail the trial's bookkeeping.</summary>
    internal static void Forward(IProgress<string>? progress, string line)
    {
        try
        {
            progress?.Report(line);
        }
        catch (Exception)
        {
            // The caller's problem; the line is still in the outcome's log.
        }
    }

    private static bool IsCancellation(string exceptionType) =>
        exceptionType is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string TailNote(IReadOnlyList<string> lines, int count) =>
        lines.Count == 0 ? "; it wrote nothing to stderr" : $"; last stderr lines:{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(count))}";

    /// <summary>How the process ended, once <see cref="HasExited"/>.</summary>
    private string DescribeEnd()
    {
        if (fault is not null) return $"broke the worker protocol and was killed: {fault}";
        var how = exitCode is { } c ? ExitStatus.Describe(c) : "ended";
        return killReason is not null ? $"was killed ({killReason}); {how}" : how;
    }

    /// <summary>Kills the process (and anything it started) and waits until its output is drained.</summary>
    public async Task KillAsync(string reason)
    {
        killReason ??= reason;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        try
        {
            await exited.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogUnkillable(Id, Pid);
        }
    }

    private async Task<bool> TrySendAsync(WorkerMessage message)
    {
        await writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await WorkerProtocol.WriteAsync(stdin, message).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false; // The worker is gone; its read loop reports how.
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task ReadMessagesAsync()
    {
        var stdout = process.StandardOutput.BaseStream;
        // Normally the pipe ends when the worker exits; but a process it started may still hold the pipe open.
        // So once the worker has exited, what it wrote has a moment to arrive, then reading stops.
        using var drained = new CancellationTokenSource();
        _ = process.WaitForExitAsync().ContinueWith(_ =>
        {
            try
            {
                drained.CancelAfter(StderrDrainWait);
            }
            catch (ObjectDisposedException)
            {
                // Reading had already ended.
            }
        }, TaskScheduler.Default);
        try
        {
            while (true)
            {
                var message = await WorkerProtocol.ReadAsync(stdout, drained.Token).ConfigureAwait(false);
                if (message is null) break;
                var problem = Check(message);
                if (problem is not null) throw new WorkerProtocolException(problem);
                inbox.Writer.TryWrite(message);
            }
        }
        catch (WorkerProtocolException e)
        {
            fault = e.Message;
            LogProtocolViolation(Id, Pid, e.Message);
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The pipe broke, or the worker exited and its pipe stayed open: the end of its output either way.
        }
        await WaitForExitAsync().ConfigureAwait(false);
        inbox.Writer.TryComplete();
        exited.TrySetResult();
    }

    private async Task WaitForExitAsync()
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(ExitWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            killReason ??= "it closed its stdout but kept running";
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        exitCode = process.ExitCode;
        // The last stderr lines matter most for a crash report: let them arrive.
        try
        {
            await stderrLoop.WaitAsync(StderrDrainWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Something else holds the pipe open; report what arrived.
        }
    }

    /// <summary>What is wrong with <paramref name="message"/> arriving now, or null.</summary>
    private string? Check(WorkerMessage message)
    {
        if (!readySeen)
        {
            readySeen = true;
            return message is ReadyMessage ? null : $"its first message was '{Kind(message)}', expected 'ready'";
        }
        var running = Interlocked.Read(ref currentTrial);
        switch (message)
        {
            case ReadyMessage:
                return "it sent 'ready' a second time";
            case RunMessage or CancelMessage or ShutdownMessage:
                return $"it sent '{Kind(message)}', which only the orchestrator sends";
            default:
                if (message.Trial() != running)
                    return $"it sent '{Kind(message)}' for trial {message.Trial()} while {(running == NoTrial ? "idle" : $"running trial {running}")}";
                if (message is DoneMessage or FailedMessage) Interlocked.CompareExchange(ref currentTrial, NoTrial, running);
                return null;
        }
    }

    private static string Kind(WorkerMessage message) => message switch
    {
        RunMessage => "run",
        CancelMessage => "cancel",
        ShutdownMessage => "shutdown",
        ReadyMessage => "ready",
        LogMessage => "log",
        DoneMessage => "done",
        FailedMessage => "failed",
        _ => message.GetType().Name,
    };

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                tail.Add(line);
                LogStderr(Id, line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke; nothing more to read.
        }
    }

    /// <summary>Asks the worker to exit (Shutdown, then closing its stdin), killing it after the cancel grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            await TrySendAsync(new ShutdownMessage()).ConfigureAwait(false);
            await writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Already broken.
            }
            finally
            {
                writeLock.Release();
            }
            try
            {
                await exited.Task.WaitAsync(options.CancelGrace + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await KillAsync("it did not exit after shutdown").ConfigureAwait(false);
            }
        }
        await readLoop.ConfigureAwait(false);
        process.Dispose();
        writeLock.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "worker {Id}: {Line}")]
    private partial void LogStderr(int id, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "worker {Id} (pid {Pid}) broke the protocol and is killed: {Problem}")]
    private partial void LogProtocolViolation(int id, int pid, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "worker {Id} (pid {Pid}) was killed but has not exited after 30 s")]
    private partial void LogUnkillable(int id, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "worker {Id}: stopping trial {TrialId} ({Why})")]
    private partial void LogStopping(int id, long trialId, TrialStatus why);
}
