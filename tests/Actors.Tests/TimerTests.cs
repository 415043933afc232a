namespace AutoCompress.Actors.Tests;

/// <summary>
/// Timers run on a <see cref="ManualTimeProvider"/>: a due timer posts its message synchronously inside Advance, so a
/// message told after Advance arrives after any tick that was due, and "no tick" can be proven by ordering.
/// </summary>
public sealed class TimerTests
{
    private sealed record Tick(int Id);

    private sealed record Ping;

    private sealed record StartSingle(TimeSpan After);

    private sealed record StartPeriodic(TimeSpan Every);

    private sealed record CancelTimer;

    private sealed record IsActive;

    [Fact]
    public async Task A_single_timer_fires_once_when_due()
    {
        var (time, system, probe, actor) = Setup("single");
        await using var _ = system;
        await actor.Ask<string>(new StartSingle(TimeSpan.FromSeconds(5)), TestProbe.DefaultTimeout);

        time.Advance(TimeSpan.FromSeconds(4));
        actor.Tell(new Ping());
        await probe.ExpectMsg<Ping>();

        time.Advance(TimeSpan.FromSeconds(1));
        actor.Tell(new Ping());
        await probe.ExpectMsg<Tick>();
        await probe.ExpectMsg<Ping>();
        Assert.False(await actor.Ask<bool>(new IsActive(), TestProbe.DefaultTimeout));

        time.Advance(TimeSpan.FromMinutes(1));
        actor.Tell(new Ping());
        await probe.ExpectMsg<Ping>();
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task A_periodic_timer_fires_every_interval_and_coalesces_ticks_of_a_busy_actor()
    {
        var (time, system, probe, actor) = Setup("periodic");
        await using var _ = system;
        await actor.Ask<string>(new StartPeriodic(TimeSpan.FromSeconds(1)), TestProbe.DefaultTimeout);

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await probe.ExpectMsg<Tick>();
        }

        var gate = new Gate();
        actor.Tell(new Hold(gate));
        await gate.Entered;
        time.Advance(TimeSpan.FromSeconds(5));
        actor.Tell(new Ping());
        gate.Open();
        await probe.ExpectMsg<Tick>();
        await probe.ExpectMsg<Ping>();
        Assert.True(await actor.Ask<bool>(new IsActive(), TestProbe.DefaultTimeout));
    }

    [Fact]
    public async Task A_cancelled_timer_delivers_nothing_even_if_its_tick_was_already_queued()
    {
        var (time, system, probe, actor) = Setup("cancel");
        await using var _ = system;
        await actor.Ask<string>(new StartPeriodic(TimeSpan.FromSeconds(1)), TestProbe.DefaultTimeout);

        // The tick becomes due while the actor is busy; the busy handler then cancels the timer.
        var gate = new Gate();
        actor.Tell(new HoldThenCancel(gate));
        await gate.Entered;
        time.Advance(TimeSpan.FromSeconds(1));
        gate.Open();
        actor.Tell(new Ping());
        await probe.ExpectMsg<Ping>();

        time.Advance(TimeSpan.FromSeconds(10));
        actor.Tell(new Ping());
        await probe.ExpectMsg<Ping>();
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task Timers_are_cancelled_when_the_actor_stops()
    {
        var (time, system, probe, actor) = Setup("stop");
        await using var _ = system;
        await actor.Ask<string>(new StartPeriodic(TimeSpan.FromSeconds(1)), TestProbe.DefaultTimeout);
        await actor.Ask<string>(new StartSingle(TimeSpan.FromSeconds(3)), TestProbe.DefaultTimeout);
        Assert.Equal(2, time.LiveTimers);
        var watcher = system.ActorOf(Props.Create(() => new Watcher(actor, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);

        system.Stop(actor);
        await probe.ExpectMsg<Terminated>();

        Assert.Equal(0, time.LiveTimers);
        var dead = system.DeadLetterCount;
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(dead, system.DeadLetterCount);
    }

    [Fact]
    public async Task Timers_are_cancelled_when_the_actor_restarts()
    {
        var (time, system, probe, actor) = Setup("restart");
        await using var _ = system;
        await actor.Ask<string>(new StartPeriodic(TimeSpan.FromSeconds(1)), TestProbe.DefaultTimeout);
        Assert.Equal(1, time.LiveTimers);

        actor.Tell(new Boom("restart me"));
        Assert.False(await actor.Ask<bool>(new IsActive(), TestProbe.DefaultTimeout));
        Assert.Equal(0, time.LiveTimers);

        time.Advance(TimeSpan.FromSeconds(5));
        actor.Tell(new Ping());
        await probe.ExpectMsg<Ping>();
    }

    [Fact]
    public async Task A_timer_on_the_real_clock_fires()
    {
        await using var system = ActorSystem.Create("real-clock");
        var probe = new TestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new TimerUser(probe.Ref)));

        await actor.Ask<string>(new StartSingle(TimeSpan.FromMilliseconds(20)), TestProbe.DefaultTimeout);

        Assert.Equal(1, (await probe.ExpectMsg<Tick>()).Id);
    }

    private static (ManualTimeProvider Time, ActorSystem System, TestProbe Probe, IActorRef Actor) Setup(string name)
    {
        var time = new ManualTimeProvider();
        var system = ActorSystem.Create("timers-" + name, new ActorSystemOptions { TimeProvider = time });
        var probe = new TestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new TimerUser(probe.Ref)), "timer-user");
        return (time, system, probe, actor);
    }

    private sealed record HoldThenCancel(Gate Gate);

    private sealed class TimerUser : ReceiveActor
    {
        private const string Key = "tick";

        public TimerUser(IActorRef probe)
        {
            Receive<StartSingle>(m =>
            {
                Timers.StartSingleTimer(Key, new Tick(1), m.After);
                Sender.Tell("started", Self);
            });
            Receive<StartPeriodic>(m =>
            {
                Timers.StartPeriodicTimer(Key + "-periodic", new Tick(2), m.Every);
                Sender.Tell("started", Self);
            });
            ReceiveAsync<Hold>(hold => hold.Gate.PassAsync());
            ReceiveAsync<HoldThenCancel>(async hold =>
            {
                await hold.Gate.PassAsync();
                Timers.CancelAll();
            });
            Receive<IsActive>(_ => Sender.Tell(Timers.IsTimerActive(Key) || Timers.IsTimerActive(Key + "-periodic"), Self));
            Receive<Boom>(boom => throw new InvalidOperationException(boom.Why));
            Receive<Tick>(tick => probe.Tell(tick, Self));
            Receive<Ping>(ping => probe.Tell(ping, Self));
        }
    }
}
