namespace AutoCompress.Actors.Tests;

public sealed class AskTests
{
    private sealed record Question(string Text);

    private sealed record FailPlease(string Why);

    private sealed record ReplyNow;

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        await using var system = ActorSystem.Create("ask");
        var echo = system.ActorOf(Props.Create<Responder>(), "echo");

        Assert.Equal("hello", await echo.Ask<string>(new Question("hello"), TestProbe.DefaultTimeout));
        var many = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => echo.Ask<string>(new Question($"q{i}"), TestProbe.DefaultTimeout)));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"q{i}"), many);
    }

    [Fact]
    public async Task Ask_times_out_with_an_exception_naming_the_target_and_the_message_type()
    {
        var time = new ManualTimeProvider();
        await using var system = ActorSystem.Create("ask-timeout", new ActorSystemOptions { TimeProvider = time });
        var probe = new TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var silent = system.ActorOf(Props.Create<Responder>(), "silent");

        var ask = silent.Ask<string>(new Question("hold"), TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(ask.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        Assert.Contains("ac://ask-timeout/user/silent", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Question), error.Message, StringComparison.Ordinal);

        // The reply that comes too late is a dead letter, not an error.
        silent.Tell(new ReplyNow());
        var late = await probe.ExpectMsg<DeadLetter>();
        Assert.Equal("hold", late.Message);
    }

    [Fact]
    public async Task Ask_is_cancelled_by_its_token()
    {
        await using var system = ActorSystem.Create("ask-cancel");
        var silent = system.ActorOf(Props.Create<Responder>());
        using var cts = new CancellationTokenSource();

        var ask = silent.Ask<string>(new Question("hold"), Timeout.InfiniteTimeSpan, cts.Token);
        Assert.False(ask.IsCompleted);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
        Assert.Equal(cts.Token, error.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => silent.Ask<string>(new Question("x"), TestProbe.DefaultTimeout, cts.Token));
    }

    [Fact]
    public async Task A_Status_Failure_reply_faults_the_ask_with_its_cause()
    {
        await using var system = ActorSystem.Create("ask-failure");
        var responder = system.ActorOf(Props.Create<Responder>());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => responder.Ask<string>(new FailPlease("no such trial"), TestProbe.DefaultTimeout));
        Assert.Equal("no such trial", error.Message);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_faults_the_ask()
    {
        await using var system = ActorSystem.Create("ask-type");
        var responder = system.ActorOf(Props.Create<Responder>(), "responder");

        var error = await Assert.ThrowsAsync<InvalidCastException>(() => responder.Ask<int>(new Question("text"), TestProbe.DefaultTimeout));
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_a_stopped_actor_times_out_and_the_request_is_a_dead_letter()
    {
        var time = new ManualTimeProvider();
        await using var system = ActorSystem.Create("ask-dead", new ActorSystemOptions { TimeProvider = time });
        var probe = new TestProbe(system);
        var responder = system.ActorOf(Props.Create<Responder>(), "gone");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(responder, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);
        system.Stop(responder);
        await probe.ExpectMsg<Terminated>();
        var before = system.DeadLetterCount;

        var ask = responder.Ask<string>(new Question("anyone?"), TimeSpan.FromSeconds(1));
        Assert.Equal(before + 1, system.DeadLetterCount);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
    }

    [Fact]
    public async Task Ask_waits_for_room_in_a_full_mailbox()
    {
        await using var system = ActorSystem.Create("ask-full");
        var counter = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "c")).WithMailboxCapacity(1));
        var gate = new Gate();
        counter.Tell(new Hold(gate));
        await gate.Entered;
        counter.Tell(new Inc());

        var ask = counter.Ask<int>(new Get(), TestProbe.DefaultTimeout);
        Assert.False(ask.IsCompleted);
        gate.Open();

        Assert.Equal(1, await ask);
    }

    [Fact]
    public async Task An_ask_abandoned_while_waiting_for_room_is_not_sent()
    {
        var time = new ManualTimeProvider();
        await using var system = ActorSystem.Create("ask-full-timeout", new ActorSystemOptions { TimeProvider = time });
        var counter = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "c")).WithMailboxCapacity(1));
        var gate = new Gate();
        counter.Tell(new Hold(gate));
        await gate.Entered;
        counter.Tell(new Inc());
        using var cts = new CancellationTokenSource();

        var timedOut = counter.Ask<int>(new Boom("must not arrive"), TimeSpan.FromSeconds(5));
        var cancelled = counter.Ask<int>(new Boom("must not arrive either"), Timeout.InfiniteTimeSpan, cts.Token);
        time.Advance(TimeSpan.FromSeconds(5));
        await cts.CancelAsync();
        await Assert.ThrowsAsync<AskTimeoutException>(() => timedOut);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Open();

        // Had either request been sent, the counter would have failed and restarted, losing its count.
        Assert.Equal(1, await counter.Ask<int>(new Get(), Timeout.InfiniteTimeSpan).WaitAsync(TestProbe.DefaultTimeout));
        Assert.Equal(0, system.DeadLetterCount);
    }

    [Fact]
    public async Task Ask_rejects_a_non_positive_timeout()
    {
        await using var system = ActorSystem.Create("ask-args");
        var responder = system.ActorOf(Props.Create<Responder>());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => responder.Ask<string>(new Question("x"), TimeSpan.Zero));
    }

    /// <summary>Echoes questions, except "hold", which it answers only when told <see cref="ReplyNow"/>.</summary>
    private sealed class Responder : ReceiveActor
    {
        private IActorRef? waiting;

        public Responder()
        {
            Receive<Question>(q =>
            {
                if (q.Text == "hold")
                    waiting = Sender;
                else
                    Sender.Tell(q.Text, Self);
            });
            Receive<ReplyNow>(_ => waiting?.Tell("hold", Self));
            Receive<FailPlease>(f => Sender.Tell(new Status.Failure(new ArgumentException(f.Why)), Self));
        }
    }
}
