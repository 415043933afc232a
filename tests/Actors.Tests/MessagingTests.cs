namespace AutoCompress.Actors.Tests;

public sealed class MessagingTests
{
    private sealed record Numbered(int Producer, int Sequence);

    private sealed record Ping(int N);

    private sealed record Flip;

    [Fact]
    public async Task Messages_from_each_sender_arrive_in_the_order_they_were_sent()
    {
        await using var system = ActorSystem.Create("ordering");
        const int producers = 4, perProducer = 50_000;
        var verdict = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A small mailbox so that producers really contend and block.
        var checker = system.ActorOf(Props.Create(() => new OrderChecker(producers, perProducer, verdict)).WithMailboxCapacity(64));

        var senders = Enumerable.Range(0, producers).Select(p => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < perProducer; i++)
                checker.Tell(new Numbered(p, i));
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(senders);

        Assert.Null(await verdict.Task.WaitAsync(TestProbe.DefaultTimeout));
    }

    [Fact]
    public async Task TellAsync_from_async_producers_keeps_per_sender_order()
    {
        await using var system = ActorSystem.Create("ordering-async");
        const int producers = 3, perProducer = 20_000;
        var verdict = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checker = system.ActorOf(Props.Create(() => new OrderChecker(producers, perProducer, verdict)).WithMailboxCapacity(16));

        await Task.WhenAll(Enumerable.Range(0, producers).Select(async p =>
        {
            for (var i = 0; i < perProducer; i++)
                await checker.TellAsync(new Numbered(p, i), null);
        }));

        Assert.Null(await verdict.Task.WaitAsync(TestProbe.DefaultTimeout));
    }

    [Fact]
    public async Task Sender_is_the_given_actor_and_dead_letters_when_none_was_given()
    {
        await using var system = ActorSystem.Create("senders");
        var probe = new TestProbe(system);
        var echo = system.ActorOf(Props.Create(() => new SenderReporter(probe.Ref)), "echo");

        echo.Tell(new Ping(1), probe.Ref);
        Assert.Same(probe.Ref, await probe.ExpectMsg<IActorRef>());
        echo.Tell(new Ping(2));
        Assert.Same(system.DeadLetters, await probe.ExpectMsg<IActorRef>());
    }

    [Fact]
    public async Task Become_replaces_the_handlers()
    {
        await using var system = ActorSystem.Create("become");
        var toggle = system.ActorOf(Props.Create<Toggle>());
        var timeout = TestProbe.DefaultTimeout;

        Assert.Equal("off", await toggle.Ask<string>(new Ping(0), timeout));
        toggle.Tell(new Flip());
        Assert.Equal("on", await toggle.Ask<string>(new Ping(0), timeout));
        toggle.Tell(new Flip());
        Assert.Equal("off", await toggle.Ask<string>(new Ping(0), timeout));
    }

    [Fact]
    public async Task UntypedActor_receives_everything_and_reports_what_it_does_not_handle()
    {
        await using var system = ActorSystem.Create("untyped");
        var probe = new TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(UnhandledMessage));
        var actor = system.ActorOf(Props.Create<PingOnly>(), "pings");

        Assert.Equal(42, await actor.Ask<int>(new Ping(42), TestProbe.DefaultTimeout));
        actor.Tell("not a ping", probe.Ref);

        var unhandled = await probe.ExpectMsg<UnhandledMessage>();
        Assert.Equal("not a ping", unhandled.Message);
        Assert.Same(actor, unhandled.Recipient);
        Assert.Same(probe.Ref, unhandled.Sender);
    }

    [Fact]
    public async Task PoisonPill_stops_after_the_messages_before_it_and_dead_letters_the_ones_after()
    {
        await using var system = ActorSystem.Create("poison");
        var journal = new Journal();
        var probe = new TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var gate = new Gate();
        var counter = system.ActorOf(Props.Create(() => new CountingActor(journal, "counter")), "counter");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(counter, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);

        counter.Tell(new Hold(gate));
        await gate.Entered;
        counter.Tell(new Inc());
        counter.Tell(new Inc());
        counter.Tell(PoisonPill.Instance);
        counter.Tell(new Boom("after the pill"));
        gate.Open();

        var dead = await probe.ExpectMsg<DeadLetter>();
        Assert.IsType<Boom>(dead.Message);
        Assert.Same(counter, (await probe.ExpectMsg<Terminated>()).ActorRef);
        Assert.Equal(["counter.ctor", "counter.PreStart", "counter.hold", "counter.inc", "counter.inc", "counter.PostStop"], journal.Entries);
    }

    private sealed class OrderChecker : ReceiveActor
    {
        public OrderChecker(int producers, int perProducer, TaskCompletionSource<string?> verdict)
        {
            var next = new int[producers];
            var total = 0;
            string? error = null;
            Receive<Numbered>(m =>
            {
                if (m.Sequence != next[m.Producer])
                    error ??= $"producer {m.Producer}: expected {next[m.Producer]}, got {m.Sequence}";
                next[m.Producer] = m.Sequence + 1;
                if (++total == producers * perProducer)
                    verdict.TrySetResult(error);
            });
        }
    }

    private sealed class SenderReporter : ReceiveActor
    {
        public SenderReporter(IActorRef probe) => Receive<Ping>(_ => probe.Tell(Sender, Self));
    }

    private sealed class Toggle : ReceiveActor
    {
        public Toggle() => Off();

        private void Off()
        {
            Receive<Ping>(_ => Sender.Tell("off", Self));
            Receive<Flip>(_ => Become(On));
        }

        private void On()
        {
            Receive<Ping>(_ => Sender.Tell("on", Self));
            Receive<Flip>(_ => Become(Off));
        }
    }

    private sealed class PingOnly : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is Ping ping)
                Sender.Tell(ping.N, Self);
            else
                Unhandled(message);
        }
    }
}
