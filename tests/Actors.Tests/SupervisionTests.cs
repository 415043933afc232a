using Microsoft.Extensions.Logging;

namespace AutoCompress.Actors.Tests;

public sealed class SupervisionTests
{
    private static readonly TimeSpan Timeout = TestProbe.DefaultTimeout;

    private static async Task<IActorRef> ChildOf(IActorRef supervisor) => await supervisor.Ask<IActorRef>(new Get(), Timeout);

    [Fact]
    public async Task Restart_keeps_the_mailbox_resets_the_state_and_drops_the_failed_message()
    {
        var logs = new LogCapture();
        await using var system = ActorSystem.Create("restart", new ActorSystemOptions { LoggerFactory = logs });
        var journal = new Journal();
        var counter = system.ActorOf(Props.Create(() => new CountingActor(journal, "c")), "counter");
        var gate = new Gate();
        counter.Tell(new Hold(gate));
        await gate.Entered;

        // Queued while the actor is busy: the failure happens with three messages still waiting behind it.
        counter.Tell(new Inc());
        counter.Tell(new Inc());
        counter.Tell(new Boom("bad input"));
        counter.Tell(new Inc());
        var count = counter.Ask<int>(new Get(), Timeout);
        gate.Open();

        Assert.Equal(1, await count);
        Assert.Equal(
            ["c.ctor", "c.PreStart", "c.hold", "c.inc", "c.inc", "c.boom", "c.PreRestart(bad input,Boom)", "c.PostStop",
             "c.ctor", "c.PostRestart(bad input)", "c.PreStart", "c.inc"],
            journal.Entries);
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("ac://restart/user/counter", logged.Message, StringComparison.Ordinal);
        Assert.Contains("Restart", logged.Message, StringComparison.Ordinal);
        Assert.Equal("bad input", logged.Exception?.Message);
    }

    [Fact]
    public async Task Resume_keeps_the_state_and_drops_only_the_failed_message()
    {
        await using var system = ActorSystem.Create("resume");
        var journal = new Journal();
        var probe = new TestProbe(system);
        var resuming = new OneForOneStrategy(_ => Directive.Resume);
        var supervisor = system.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new CountingActor(journal, "c")), probe.Ref, null))
            .WithSupervisorStrategy(resuming));
        var child = await ChildOf(supervisor);

        child.Tell(new Inc());
        child.Tell(new Inc());
        child.Tell(new Boom("transient"));
        child.Tell(new Inc());

        Assert.Equal(3, await child.Ask<int>(new Get(), Timeout));
        Assert.DoesNotContain(journal.Entries, e => e.Contains("Restart", StringComparison.Ordinal) || e.EndsWith("PostStop", StringComparison.Ordinal));
        Assert.Single(journal.Entries, "c.ctor");
    }

    [Fact]
    public async Task Stop_directive_stops_the_child_and_its_watching_parent_gets_Terminated()
    {
        await using var system = ActorSystem.Create("stop");
        var journal = new Journal();
        var probe = new TestProbe(system);
        var supervisor = system.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new CountingActor(journal, "c")), probe.Ref, null))
            .WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy));
        var child = await ChildOf(supervisor);

        child.Tell(new Boom("fatal"));

        Assert.Same(child, (await probe.ExpectMsg<Terminated>()).ActorRef);
        Assert.Equal(["c.ctor", "c.PreStart", "c.boom", "c.PostStop"], journal.Entries);
    }

    [Fact]
    public async Task A_child_that_exceeds_its_restart_budget_is_stopped_and_the_parent_is_notified()
    {
        var logs = new LogCapture();
        await using var system = ActorSystem.Create("budget", new ActorSystemOptions { LoggerFactory = logs });
        var journal = new Journal();
        var probe = new TestProbe(system);
        var twice = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var supervisor = system.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new CountingActor(journal, "c")), probe.Ref, null))
            .WithSupervisorStrategy(twice));
        var child = await ChildOf(supervisor);

        child.Tell(new Boom("1"));
        child.Tell(new Boom("2"));
        child.Tell(new Boom("3"));
        child.Tell(new Inc());

        Assert.Same(child, (await probe.ExpectMsg<Terminated>()).ActorRef);
        Assert.Equal(2, journal.Entries.Count(e => e.StartsWith("c.PostRestart", StringComparison.Ordinal)));
        Assert.DoesNotContain("c.inc", journal.Entries);
        Assert.Equal("c.PostStop", journal.Entries[^1]);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("restart budget", StringComparison.Ordinal) && e.Exception?.Message == "3");
    }

    [Fact]
    public async Task The_restart_budget_only_counts_failures_inside_the_time_window()
    {
        var time = new ManualTimeProvider();
        await using var system = ActorSystem.Create("window", new ActorSystemOptions { TimeProvider = time });
        var journal = new Journal();
        var probe = new TestProbe(system);
        var twicePerMinute = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var supervisor = system.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new CountingActor(journal, "c")), probe.Ref, null))
            .WithSupervisorStrategy(twicePerMinute));
        var child = await ChildOf(supervisor);

        for (var round = 0; round < 3; round++)
        {
            child.Tell(new Boom("a"));
            child.Tell(new Boom("b"));
            child.Tell(new Inc());
            Assert.Equal(1, await child.Ask<int>(new Get(), Timeout));
            time.Advance(TimeSpan.FromMinutes(1.5));
        }
        Assert.Equal(6, journal.Entries.Count(e => e.StartsWith("c.PostRestart", StringComparison.Ordinal)));

        child.Tell(new Boom("c"));
        child.Tell(new Boom("d"));
        child.Tell(new Boom("e"));
        Assert.Same(child, (await probe.ExpectMsg<Terminated>()).ActorRef);
    }

    [Fact]
    public async Task Escalate_hands_the_same_exception_to_the_grandparent_which_restarts_the_parent_and_its_child()
    {
        await using var system = ActorSystem.Create("escalate");
        var journal = new Journal();
        var probe = new TestProbe(system);
        var seen = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recordAndRestart = new OneForOneStrategy(e =>
        {
            seen.TrySetResult(e);
            return Directive.Restart;
        });
        var childProps = Props.Create(() => new CountingActor(journal, "c"));
        var parentProps = Props.Create(() => new Supervisor(childProps, probe.Ref, journal))
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate));
        var grandparent = system.ActorOf(Props.Create(() => new Supervisor(parentProps, probe.Ref, null)).WithSupervisorStrategy(recordAndRestart), "grandparent");
        var parent = await ChildOf(grandparent);
        var child = await ChildOf(parent);

        child.Tell(new Inc());
        child.Tell(new Boom("deep"));

        var escalated = await seen.Task.WaitAsync(Timeout);
        Assert.IsType<InvalidOperationException>(escalated);
        Assert.Equal("deep", escalated.Message);
        // The restarted parent creates a new child under the same name, which works because the old one stopped first.
        var newChild = await ChildOf(parent);
        Assert.NotSame(child, newChild);
        Assert.Equal(child.Path, newChild.Path);
        Assert.Equal(0, await newChild.Ask<int>(new Get(), Timeout));
        var entries = journal.Entries.ToList();
        Assert.True(entries.IndexOf("c.PostStop") < entries.IndexOf("supervisor.PostRestart(deep)"), string.Join(", ", entries));
        Assert.Equal(2, entries.Count(e => e == "c.PreStart"));
        Assert.Equal(1, entries.Count(e => e == "c.PostStop"));
        Assert.DoesNotContain(entries, e => e.StartsWith("c.PreRestart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_PreStart_stops_the_actor_with_an_ActorInitializationException()
    {
        var logs = new LogCapture();
        await using var system = ActorSystem.Create("init", new ActorSystemOptions { LoggerFactory = logs });
        var probe = new TestProbe(system);
        var supervisor = system.ActorOf(Props.Create(() => new Supervisor(Props.Create<FailsToStart>(), probe.Ref, null)));
        var child = await ChildOf(supervisor);

        Assert.Same(child, (await probe.ExpectMsg<Terminated>()).ActorRef);
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        var error = Assert.IsType<ActorInitializationException>(logged.Exception);
        Assert.Equal("cannot start", error.InnerException?.Message);
        Assert.Same(child, error.Actor);
        Assert.Contains("Stop", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watcher_that_ignores_Terminated_fails_with_a_DeathPactException()
    {
        var logs = new LogCapture();
        await using var system = ActorSystem.Create("deathpact", new ActorSystemOptions { LoggerFactory = logs });
        var probe = new TestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "s")), "subject");
        var careless = system.ActorOf(Props.Create(() => new CarelessWatcher(subject)), "careless");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(careless, probe.Ref)));
        await watcher.Ask<string>(new Get(), Timeout);
        await careless.Ask<string>(new Get(), Timeout);

        system.Stop(subject);

        Assert.Same(careless, (await probe.ExpectMsg<Terminated>()).ActorRef);
        Assert.Contains(logs.Entries, e => e.Exception is DeathPactException d && d.DeadActor == subject);
    }

    [Fact]
    public async Task When_the_guardian_escalates_the_whole_system_terminates()
    {
        var logs = new LogCapture();
        await using var system = ActorSystem.Create("fatal", new ActorSystemOptions
        {
            LoggerFactory = logs,
            GuardianSupervisorStrategy = new OneForOneStrategy(_ => Directive.Escalate),
        });
        var journal = new Journal();
        var actor = system.ActorOf(Props.Create(() => new CountingActor(journal, "c")));

        actor.Tell(new Boom("unrecoverable"));

        await system.WhenTerminated.WaitAsync(Timeout);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Exception?.Message == "unrecoverable");
        Assert.Equal("c.PostStop", journal.Entries[^1]);
    }

    private sealed class FailsToStart : ReceiveActor
    {
        protected override void PreStart() => throw new InvalidOperationException("cannot start");
    }

    private sealed class CarelessWatcher : ReceiveActor
    {
        public CarelessWatcher(IActorRef subject)
        {
            Context.Watch(subject);
            Receive<Get>(_ => Sender.Tell("watching", Self));
        }
    }
}
