namespace AutoCompress.Actors.Tests;

public sealed class ShutdownTests
{
    private sealed record Spawn(string Name, IReadOnlyList<Spawn> Children);

    [Fact]
    public async Task Terminate_stops_children_before_their_parents_and_runs_every_PostStop()
    {
        var system = ActorSystem.Create("shutdown");
        var journal = new Journal();
        var tree = new Spawn("a", [new Spawn("a1", [new Spawn("a1x", []), new Spawn("a1y", [])]), new Spawn("a2", [])]);
        var root = system.ActorOf(Props.Create(() => new TreeNode(tree, journal)), "a");
        var other = system.ActorOf(Props.Create(() => new TreeNode(new Spawn("b", [new Spawn("b1", [])]), journal)), "b");
        Assert.Equal(4, await root.Ask<int>(new Get(), TestProbe.DefaultTimeout));
        Assert.Equal(1, await other.Ask<int>(new Get(), TestProbe.DefaultTimeout));

        await system.Terminate().WaitAsync(TestProbe.DefaultTimeout);

        var stops = journal.Entries.Where(e => e.EndsWith(".PostStop", StringComparison.Ordinal)).Select(e => e[..^".PostStop".Length]).ToList();
        Assert.Equal(["a", "a1", "a1x", "a1y", "a2", "b", "b1"], stops.Order());
        foreach (var (child, parent) in new[] { ("a1", "a"), ("a2", "a"), ("a1x", "a1"), ("a1y", "a1"), ("b1", "b") })
            Assert.True(stops.IndexOf(child) < stops.IndexOf(parent), $"{child} must stop before {parent}: {string.Join(", ", stops)}");
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task After_termination_sends_become_dead_letters_and_ActorOf_is_refused()
    {
        var system = ActorSystem.Create("after");
        var actor = system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "c")));
        await system.DisposeAsync();
        await system.DisposeAsync();

        var before = system.DeadLetterCount;
        actor.Tell(new Inc());
        await actor.TellAsync(new Inc(), null);
        Assert.Equal(before + 2, system.DeadLetterCount);
        var error = Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new CountingActor(new Journal(), "d"))));
        Assert.Contains("after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_an_actor_dead_letters_what_is_left_in_its_mailbox_and_releases_blocked_senders()
    {
        await using var system = ActorSystem.Create("drain");
        var probe = new TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var journal = new Journal();
        var actor = system.ActorOf(Props.Create(() => new CountingActor(journal, "c")).WithMailboxCapacity(3));
        var gate = new Gate();
        actor.Tell(new Hold(gate));
        await gate.Entered;
        for (var i = 0; i < 3; i++)
            actor.Tell(new Inc());
        var blocked = actor.TellAsync(new Boom("never processed"), null);
        Assert.False(blocked.IsCompleted);

        system.Stop(actor);
        gate.Open();

        await blocked.AsTask().WaitAsync(TestProbe.DefaultTimeout);
        var letters = new List<DeadLetter>();
        for (var i = 0; i < 4; i++)
            letters.Add(await probe.ExpectMsg<DeadLetter>());
        Assert.Equal(3, letters.Count(l => l.Message is Inc));
        Assert.Single(letters, l => l.Message is Boom);
        Assert.All(letters, l => Assert.Same(actor, l.Recipient));
        Assert.DoesNotContain("c.inc", journal.Entries);
        Assert.Equal("c.PostStop", journal.Entries[^1]);
    }

    private sealed class TreeNode : ReceiveActor
    {
        private readonly Spawn spec;
        private readonly Journal journal;

        public TreeNode(Spawn spec, Journal journal)
        {
            this.spec = spec;
            this.journal = journal;
            ReceiveAsync<Get>(async _ =>
            {
                var sum = 0;
                foreach (var child in Context.GetChildren())
                    sum += 1 + await child.Ask<int>(new Get(), TestProbe.DefaultTimeout);
                Sender.Tell(sum, Self);
            });
        }

        protected override void PreStart()
        {
            foreach (var child in spec.Children)
                Context.ActorOf(Props.Create(() => new TreeNode(child, journal)), child.Name);
        }

        protected override void PostStop() => journal.Add(spec.Name + ".PostStop");
    }
}
