namespace AutoCompress.Actors.Tests;

public sealed class DeathWatchTests
{
    private sealed record WatchIt(IActorRef Subject);

    private sealed record UnwatchIt(IActorRef Subject);

    private sealed record SawTerminated;

    [Fact]
    public async Task Watching_actors_get_Terminated_when_the_subject_stops()
    {
        await using var system = ActorSystem.Create("watch");
        var probe1 = new TestProbe(system);
        var probe2 = new TestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "s")), "subject");
        var watcher1 = system.ActorOf(Props.Create(() => new Watcher(subject, probe1.Ref)));
        var watcher2 = system.ActorOf(Props.Create(() => new Watcher(subject, probe2.Ref)));
        await watcher1.Ask<string>(new Get(), TestProbe.DefaultTimeout);
        await watcher2.Ask<string>(new Get(), TestProbe.DefaultTimeout);

        system.Stop(subject);

        Assert.Same(subject, (await probe1.ExpectMsg<Terminated>()).ActorRef);
        Assert.Same(subject, probe1.LastSender);
        Assert.Same(subject, (await probe2.ExpectMsg<Terminated>()).ActorRef);
    }

    [Fact]
    public async Task Watching_an_actor_that_is_already_dead_delivers_Terminated_at_once()
    {
        await using var system = ActorSystem.Create("watch-dead");
        var probe = new TestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "s")));
        var first = system.ActorOf(Props.Create(() => new Watcher(subject, probe.Ref)));
        await first.Ask<string>(new Get(), TestProbe.DefaultTimeout);
        system.Stop(subject);
        await probe.ExpectMsg<Terminated>();

        var late = new TestProbe(system);
        system.ActorOf(Props.Create(() => new Watcher(subject, late.Ref)));

        Assert.Same(subject, (await late.ExpectMsg<Terminated>()).ActorRef);
    }

    [Fact]
    public async Task Unwatch_means_no_Terminated()
    {
        await using var system = ActorSystem.Create("unwatch");
        var probe = new TestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "s")));
        var fickle = system.ActorOf(Props.Create<Fickle>());
        await fickle.Ask<string>(new WatchIt(subject), TestProbe.DefaultTimeout);
        await fickle.Ask<string>(new UnwatchIt(subject), TestProbe.DefaultTimeout);
        // The Unwatch reached the subject before the stop does, and this watcher proves the subject has stopped.
        var witness = system.ActorOf(Props.Create(() => new Watcher(subject, probe.Ref)));
        await witness.Ask<string>(new Get(), TestProbe.DefaultTimeout);

        system.Stop(subject);
        await probe.ExpectMsg<Terminated>();

        Assert.False(await fickle.Ask<bool>(new SawTerminated(), TestProbe.DefaultTimeout));
    }

    [Fact]
    public async Task Watching_something_that_is_not_an_actor_is_rejected()
    {
        await using var system = ActorSystem.Create("watch-bad");
        var fickle = system.ActorOf(Props.Create<Fickle>());
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => fickle.Ask<string>(new WatchIt(system.DeadLetters), TestProbe.DefaultTimeout));
        Assert.Contains("deadLetters", error.Message, StringComparison.Ordinal);
    }

    private sealed class Fickle : ReceiveActor
    {
        public Fickle()
        {
            var saw = false;
            Receive<WatchIt>(m =>
            {
                try
                {
                    Context.Watch(m.Subject);
                    Sender.Tell("ok", Self);
                }
                catch (NotSupportedException e)
                {
                    Sender.Tell(new Status.Failure(e), Self);
                }
            });
            Receive<UnwatchIt>(m =>
            {
                Context.Unwatch(m.Subject);
                Sender.Tell("ok", Self);
            });
            Receive<Terminated>(_ => saw = true);
            Receive<SawTerminated>(_ => Sender.Tell(saw, Self));
        }
    }
}
