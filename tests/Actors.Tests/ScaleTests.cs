namespace AutoCompress.Actors.Tests;

public sealed class ScaleTests
{
    private sealed record CreateChildren(int Count);

    [Fact]
    public async Task Ten_thousand_actors_are_created_answer_and_stop_cleanly()
    {
        const int count = 10_000;
        var system = ActorSystem.Create("many");
        var probe = new TestProbe(system);
        var stopped = new StrongCounter();
        var parent = system.ActorOf(Props.Create(() => new Parent(stopped)), "parent");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(parent, probe.Ref)));
        await watcher.Ask<string>(new Get(), TestProbe.DefaultTimeout);

        var children = await parent.Ask<IReadOnlyList<IActorRef>>(new CreateChildren(count), TestProbe.DefaultTimeout);
        Assert.Equal(count, children.Count);
        Assert.Equal(count, children.Select(c => c.Path.ToString()).Distinct().Count());
        var answers = await Task.WhenAll(children.Select(c => c.Ask<int>(new Get(), TestProbe.DefaultTimeout)));
        Assert.All(answers, a => Assert.Equal(0, a));

        system.Stop(parent);
        await probe.ExpectMsg<Terminated>();
        // The parent's Terminated is only sent after every child has finished stopping.
        Assert.Equal(count, stopped.Value);

        await system.Terminate().WaitAsync(TestProbe.DefaultTimeout);
    }

    private sealed class StrongCounter
    {
        public int Value;
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent(StrongCounter stopped) =>
            Receive<CreateChildren>(m =>
            {
                var created = new List<IActorRef>(m.Count);
                for (var i = 0; i < m.Count; i++)
                    created.Add(Context.ActorOf(Props.Create(() => new Child(stopped)).WithMailboxCapacity(4), $"child-{i}"));
                Sender.Tell((IReadOnlyList<IActorRef>)created, Self);
            });
    }

    private sealed class Child : ReceiveActor
    {
        private readonly StrongCounter stopped;

        public Child(StrongCounter stopped)
        {
            this.stopped = stopped;
            Receive<Get>(_ => Sender.Tell(0, Self));
        }

        protected override void PostStop() => Interlocked.Increment(ref stopped.Value);
    }
}
