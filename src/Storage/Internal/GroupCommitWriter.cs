using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Storage.Internal;

/// <summary>
/// The store's only writer. Callers enqueue operations; one loop takes whatever is queued (up to a limit), runs it all
/// in ONE transaction and commits once, then completes every caller's task. Under load many operations share a commit
/// (group commit), so the per-commit cost (the WAL frame write, and the fsync under FULL durability) is paid once per
/// batch instead of once per operation, and there is never lock contention between writers.
/// If an operation throws, the transaction is rolled back and committed again without it, so the failing operation
/// fails alone and nothing it did is left half-written.
/// </summary>
internal sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<WriteOperation> queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WriterSession session;
    private readonly int maxBatch;
    private readonly ILogger logger;
    private readonly string path;
    private readonly Task loop;
    private long operations;
    private long transactions;
    private long busyTicks;

    public GroupCommitWriter(WriterSession session, int maxBatch, ILogger logger, string path)
    {
        this.session = session;
        this.maxBatch = maxBatch;
        this.logger = logger;
        this.path = path;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Operations and transactions committed so far, and the time spent executing and committing them.</summary>
    public (long Operations, long Transactions, TimeSpan Busy) Counters =>
        (Interlocked.Read(ref operations), Interlocked.Read(ref transactions), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref busyTicks)));

    public Task<T> Enqueue<T>(Func<WriterSession, T> body, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        var operation = new WriteOperation<T>(body, cancellationToken);
        if (!queue.Writer.TryWrite(operation)) throw new ObjectDisposedException(nameof(ExperimentStore), $"experiment store '{path}' is closed");
        return operation.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(Math.Min(maxBatch, 4096));
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < maxBatch && reader.TryRead(out var operation))
            {
                if (operation.Cancellation.IsCancellationRequested) operation.Cancel();
                else batch.Add(operation);
            }
            if (batch.Count == 0) continue;
            var started = Stopwatch.GetTimestamp();
            Process(batch);
            Interlocked.Add(ref busyTicks, Stopwatch.GetTimestamp() - started);
            batch.Clear();
        }
    }

    /// <summary>
    /// Commits the batch in one transaction. When operation i throws, the transaction is rolled back, operations before
    /// i are committed again together (they ran fine in exactly that state), operation i fails alone with its
    /// exception, and the rest continue as a new batch: a bad operation costs one extra transaction, not the batching.
    /// When the COMMIT itself fails (I/O error, disk full), nothing was committed and every operation fails with it.
    /// </summary>
    private void Process(List<WriteOperation> batch)
    {
        var start = 0;
        while (start < batch.Count)
        {
            var failed = TryCommit(batch, start, batch.Count, out var error);
            if (error is null) return;
            if (failed < 0)
            {
                for (var i = start; i < batch.Count; i++) batch[i].Fail(error);
                return;
            }
            if (batch.Count - start > 1) LogReplayed(logger, error, failed - start, batch.Count - start, path);
            if (failed > start)
            {
                TryCommit(batch, start, failed, out var again);
                if (again is not null) // they ran fine a moment ago in the same state; only an I/O failure gets here
                    for (var i = start; i < failed; i++) batch[i].Fail(again);
            }
            batch[failed].Fail(error);
            start = failed + 1;
        }
    }

    /// <summary>
    /// Runs operations [from, to) in one transaction and publishes their results after the commit. On failure returns
    /// the index of the operation that threw (-1 when BEGIN or COMMIT failed) with <paramref name="error"/> set.
    /// </summary>
    private int TryCommit(List<WriteOperation> batch, int from, int to, out Exception? error)
    {
        var current = -1;
        try
        {
            session.Begin();
            for (current = from; current < to; current++) batch[current].Execute(session);
            current = -1;
            session.Commit();
        }
#pragma warning disable CA1031 // any failure of an operation must reach its caller, never kill the write loop
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
            try
            {
                session.Rollback();
            }
#pragma warning disable CA1031
            catch (Exception rollback)
#pragma warning restore CA1031
            {
                LogRollbackFailed(logger, rollback, path);
            }
            return current;
        }
        Interlocked.Increment(ref transactions);
        Interlocked.Add(ref operations, to - from);
        for (var i = from; i < to; i++) batch[i].Publish();
        error = null;
        return -1;
    }

    /// <summary>Stops accepting operations, lets the queued ones commit, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Operation {Index} of a group commit of {Count} on {Path} failed; it fails alone, the others are committed without it")]
    private static partial void LogReplayed(ILogger logger, Exception error, int index, int count, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rolling back a failed transaction on {Path} failed")]
    private static partial void LogRollbackFailed(ILogger logger, Exception error, string path);
}
