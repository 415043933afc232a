using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AutoCompress.Actors;

/// <summary>
/// Sending. User messages go into a bounded channel (one reader: the loop). <c>Tell</c> first tries a cheap, non-blocking
/// <c>TryWrite</c>; only when the mailbox is full does it spin briefly and then block until there is room, which is the
/// backpressure that keeps a fast producer from growing memory without bound. <c>TellAsync</c> awaits room instead of
/// blocking. System messages go into an unbounded queue that the loop drains first; if the loop is idle (waiting on the
/// mailbox), a wake-up token is written into the mailbox so that it notices.
/// </summary>
internal sealed partial class ActorCell
{
    // Retries of TryWrite (with SpinWait's back-off, yielding but never sleeping) before a full mailbox makes Tell block.
    // A consumer on another core usually frees a slot within a few microseconds; blocking costs a kernel wait per message.
    private const int SpinsBeforeBlocking = 64;

    // The cell whose loop is running synchronously on this thread: a Tell to that cell's full mailbox cannot wait, as
    // only this thread would empty it.
    [ThreadStatic]
    private static ActorCell? running;

    private readonly int capacity;
    private readonly Channel<Envelope> mailbox;
    private readonly Channel<SystemMessage> systemMailbox;
    private int systemPending;
    private int idle;
    private volatile bool mailboxClosed;

    public void Post(Envelope envelope)
    {
        if (!mailbox.Writer.TryWrite(envelope))
            PostSlow(envelope);
    }

    /// <summary>Writes if there is room; false if the mailbox is full or closed.</summary>
    public bool TryPost(Envelope envelope) => mailbox.Writer.TryWrite(envelope);

    public ValueTask PostAsync(Envelope envelope, CancellationToken cancellationToken) =>
        mailbox.Writer.TryWrite(envelope) ? ValueTask.CompletedTask : PostSlowAsync(envelope, cancellationToken);

    /// <summary>
    /// Queues a system message. If the actor has stopped, the message is answered as a dead actor would (a Watch gets
    /// its Terminated at once).
    /// </summary>
    public void SendSystem(SystemMessage message)
    {
        if (!systemMailbox.Writer.TryWrite(message))
        {
            HandleSystemWhenDead(message);
            return;
        }
        // Both sides use full fences (Interlocked): either the loop sees systemPending before it waits, or we see idle.
        Interlocked.Exchange(ref systemPending, 1);
        if (Volatile.Read(ref idle) != 0)
            mailbox.Writer.TryWrite(new Envelope(WakeSignal.Instance, null));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PostSlow(Envelope envelope)
    {
        if (!CanWaitForRoom(envelope))
            return;
        var spinner = default(SpinWait);
        for (var i = 0; i < SpinsBeforeBlocking; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (mailbox.Writer.TryWrite(envelope))
                return;
            if (mailboxClosed)
            {
                System.RecordDeadLetter(envelope.Message, envelope.Sender, Self);
                return;
            }
        }
        var write = mailbox.Writer.WriteAsync(envelope).AsTask();
        try
        {
            var warning = System.Options.BlockedTellWarning;
            if (!write.Wait(warning))
            {
                LogTellBlocked(Logger, Path, warning.TotalSeconds, capacity);
                write.Wait();
            }
        }
        catch (AggregateException e) when (e.InnerException is ChannelClosedException)
        {
            System.RecordDeadLetter(envelope.Message, envelope.Sender, Self);
        }
    }

    private async ValueTask PostSlowAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (!CanWaitForRoom(envelope))
            return;
        try
        {
            await mailbox.Writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            System.RecordDeadLetter(envelope.Message, envelope.Sender, Self);
        }
    }

    // False (and the message dead-lettered) when waiting for room is pointless: the actor has stopped, or the caller is
    // this actor's own loop, which would wait for itself forever.
    private bool CanWaitForRoom(Envelope envelope)
    {
        if (mailboxClosed)
        {
            System.RecordDeadLetter(envelope.Message, envelope.Sender, Self);
            return false;
        }
        if (ReferenceEquals(running, this))
        {
            LogSelfTellDropped(Logger, Path, envelope.Message.GetType(), capacity);
            System.RecordDeadLetter(envelope.Message, envelope.Sender, Self);
            return false;
        }
        return true;
    }
}
