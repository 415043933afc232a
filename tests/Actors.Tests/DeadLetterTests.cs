namespace AutoCompress.Actors.Tests;

public sealed class DeadLetterTests
{
    private sealed record Note(string Text);

    [Fact]
    public async Task A_message_to_a_stopped_actor_is_a_dead_letter_not_an_exception()
    {
        await using var system = ActorSystem.Create("dead");
        var probe = new TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var actor = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "c")), "gone");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(actor, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);
        system.Stop(actor);
        await probe.ExpectMsg<Terminated>();
        var before = system.DeadLetterCount;

        var note = new Note("hello?");
        actor.Tell(note, probe.Ref);

        var letter = await probe.ExpectMsg<DeadLetter>();
        Assert.Same(note, letter.Message);
        Assert.Same(probe.Ref, letter.Sender);
        Assert.Same(actor, letter.Recipient);
        Assert.Equal(before + 1, system.DeadLetterCount);
    }

    [Fact]
    public async Task Replying_to_no_sender_and_telling_DeadLetters_are_counted()
    {
        var logs = new LogCapture();
        await using var system = ActorSystem.Create("nosender", new ActorSystemOptions { LoggerFactory = logs, DeadLetterLogLimit = 1 });
        var probe = new TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var replier = system.ActorOf(Props.Create<Replier>());

        replier.Tell(new Note("who asked?"));
        var reply = await probe.ExpectMsg<DeadLetter>();
        Assert.Equal("reply to who asked?", reply.Message);
        Assert.Same(replier, reply.Sender);

        system.DeadLetters.Tell(new Note("direct"));
        Assert.Equal("direct", ((Note)(await probe.ExpectMsg<DeadLetter>()).Message).Text);
        Assert.Equal(2, system.DeadLetterCount);
        // Only the first is logged (the limit), followed by a note that the log goes quiet.
        Assert.Equal(2, logs.Entries.Count(e => e.Message.Contains("dead letter", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task A_stopped_subscriber_is_unsubscribed()
    {
        await using var system = ActorSystem.Create("unsubscribe");
        var probe = new TestProbe(system);
        var subscriber = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "s")));
        system.EventStream.Subscribe(subscriber, typeof(DeadLetter));
        var watcher = system.ActorOf(Props.Create(() => new Watcher(subscriber, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);
        system.Stop(subscriber);
        await probe.ExpectMsg<Terminated>();

        Assert.False(system.EventStream.Unsubscribe(subscriber));
    }

    private sealed class Replier : ReceiveActor
    {
        public Replier() => Receive<Note>(n => Sender.Tell("reply to " + n.Text, Self));
    }
}
