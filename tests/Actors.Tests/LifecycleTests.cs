namespace AutoCompress.Actors.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Hooks_run_in_order_across_a_restart_and_a_stop()
    {
        await using var system = ActorSystem.Create("hooks");
        var journal = new Journal();
        var probe = new TestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new CountingActor(journal, "a")), "a");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(actor, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);

        actor.Tell(new Inc());
        actor.Tell(new Boom("once"));
        actor.Tell(new Inc());
        Assert.Equal(1, await actor.Ask<int>(new Get(), TestProbe.DefaultTimeout));
        system.Stop(actor);
        await probe.ExpectMsg<Terminated>();

        Assert.Equal(
            ["a.ctor", "a.PreStart", "a.inc", "a.boom", "a.PreRestart(once,Boom)", "a.PostStop",
             "a.ctor", "a.PostRestart(once)", "a.PreStart", "a.inc", "a.PostStop"],
            journal.Entries);
    }

    [Fact]
    public async Task Context_is_available_in_the_constructor()
    {
        await using var system = ActorSystem.Create("ctor");
        var actor = system.ActorOf(Props.Create<SelfAware>(), "self-aware");
        Assert.Equal("ac://ctor/user/self-aware", await actor.Ask<string>(new Get(), TestProbe.DefaultTimeout));
    }

    [Fact]
    public void An_actor_cannot_be_created_outside_its_Props()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SelfAware());
        Assert.Contains("Props", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Props_factory_that_returns_a_shared_instance_is_an_initialization_failure()
    {
        await using var system = ActorSystem.Create("shared-instance");
        var probe = new TestProbe(system);
        SelfAware? captured = null;
        var reuse = Props.Create(() => captured ??= new SelfAware());
        var second = system.ActorOf(reuse, "second");
        Assert.Equal("ac://shared-instance/user/second", await second.Ask<string>(new Get(), TestProbe.DefaultTimeout));

        var third = system.ActorOf(reuse, "third");
        system.ActorOf(Props.Create(() => new Watcher(third, probe.Ref)));

        Assert.Same(third, (await probe.ExpectMsg<Terminated>()).ActorRef);
        Assert.Equal("ac://shared-instance/user/second", await second.Ask<string>(new Get(), TestProbe.DefaultTimeout));
    }

    private sealed class SelfAware : ReceiveActor
    {
        public SelfAware()
        {
            var path = Self.Path.ToString();
            Receive<Get>(_ => Sender.Tell(path, Self));
        }
    }
}
