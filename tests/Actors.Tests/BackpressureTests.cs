namespace AutoCompress.Actors.Tests;

public sealed class BackpressureTests
{
    private const int Capacity = 10;

    private sealed record Item(int N);

    [Fact]
    public async Task TellAsync_completes_at_once_while_there_is_room_and_waits_when_the_mailbox_is_full()
    {
        await using var system = ActorSystem.Create("backpressure-async");
        var done = new TaskCompletionSource<List<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = system.ActorOf(Props.Create(() => new SlowConsumer(Capacity + 1, done, null)).WithMailboxCapacity(Capacity));
        var gate = new Gate();
        slow.Tell(new Hold(gate));
        await gate.Entered;

        for (var i = 0; i < Capacity; i++)
            Assert.True(slow.TellAsync(new Item(i), null).AsTask().IsCompletedSuccessfully, $"send {i} should find room");
        var blocked = slow.TellAsync(new Item(Capacity), null);
        Assert.False(blocked.IsCompleted, "the mailbox is full, so the send must wait");

        gate.Open();
        await blocked.AsTask().WaitAsync(TestProbe.DefaultTimeout);
        Assert.Equal(Enumerable.Range(0, Capacity + 1), await done.Task.WaitAsync(TestProbe.DefaultTimeout));
    }

    [Fact]
    public async Task Tell_blocks_a_fast_producer_loses_nothing_and_never_holds_more_than_the_capacity()
    {
        await using var system = ActorSystem.Create("backpressure");
        const int count = 20_000;
        var produced = new StrongBox();
        var done = new TaskCompletionSource<List<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = system.ActorOf(Props.Create(() => new SlowConsumer(count, done, produced)).WithMailboxCapacity(Capacity));
        var gate = new Gate();
        slow.Tell(new Hold(gate));
        await gate.Entered;

        var producer = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                slow.Tell(new Item(i));
                Interlocked.Increment(ref produced.Value);
            }
        })
        { IsBackground = true };
        producer.Start();

        // While the consumer is held, the producer fills the mailbox and then blocks inside Tell.
        Assert.True(SpinWait.SpinUntil(() => producer.ThreadState.HasFlag(ThreadState.WaitSleepJoin) && Volatile.Read(ref produced.Value) == Capacity, TestProbe.DefaultTimeout));
        Assert.Equal(Capacity, Volatile.Read(ref produced.Value));

        gate.Open();
        var received = await done.Task.WaitAsync(TestProbe.DefaultTimeout);
        Assert.True(producer.Join(TestProbe.DefaultTimeout));
        Assert.Equal(Enumerable.Range(0, count), received);
        var consumer = await slow.Ask<int>(new Get(), TestProbe.DefaultTimeout);
        Assert.InRange(consumer, 1, Capacity);
    }

    [Fact]
    public async Task Stop_and_watch_get_through_a_full_mailbox_and_the_queued_messages_become_dead_letters()
    {
        await using var system = ActorSystem.Create("priority");
        var probe = new TestProbe(system);
        var done = new TaskCompletionSource<List<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = system.ActorOf(Props.Create(() => new SlowConsumer(Capacity, done, null)).WithMailboxCapacity(Capacity));
        var gate = new Gate();
        slow.Tell(new Hold(gate));
        await gate.Entered;
        for (var i = 0; i < Capacity; i++)
            await slow.TellAsync(new Item(i), null);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await slow.TellAsync(new Item(-1), null, new CancellationToken(true)));

        var watcher = system.ActorOf(Props.Create(() => new Watcher(slow, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);
        var deadBefore = system.DeadLetterCount;
        system.Stop(slow);
        gate.Open();

        Assert.Same(slow, (await probe.ExpectMsg<Terminated>()).ActorRef);
        Assert.False(done.Task.IsCompleted, "no queued message may be processed after the stop");
        Assert.Equal(deadBefore + Capacity, system.DeadLetterCount);
    }

    private sealed class StrongBox
    {
        public int Value;
    }

    /// <summary>
    /// Records the items it gets; for each one it checks how many sent-but-unprocessed messages exist (the producer's
    /// count minus what was taken out of the mailbox), which must never exceed the mailbox capacity.
    /// </summary>
    private sealed class SlowConsumer : ReceiveActor
    {
        public SlowConsumer(int expected, TaskCompletionSource<List<int>> done, StrongBox? produced)
        {
            var received = new List<int>();
            var maxOutstanding = 0;
            ReceiveAsync<Hold>(hold => hold.Gate.PassAsync());
            Receive<Item>(item =>
            {
                received.Add(item.N);
                if (produced is not null)
                    maxOutstanding = Math.Max(maxOutstanding, Volatile.Read(ref produced.Value) - received.Count);
                Thread.SpinWait(50);
                if (received.Count == expected)
                    done.TrySetResult(received);
            });
            Receive<Get>(_ => Sender.Tell(maxOutstanding, Self));
        }
    }
}
