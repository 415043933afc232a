namespace AutoCompress.Actors.Tests;

public sealed class NamingTests
{
    private sealed record MakeChild(string Name);

    [Fact]
    public async Task Paths_follow_the_supervision_tree()
    {
        await using var system = ActorSystem.Create("paths");
        var parent = system.ActorOf(Props.Create<Maker>(), "parent");
        var child = await parent.Ask<IActorRef>(new MakeChild("child"), TestProbe.DefaultTimeout);

        Assert.Equal("ac://paths/user/parent", parent.Path.ToString());
        Assert.Equal("ac://paths/user/parent/child", child.Path.ToString());
        Assert.Equal(["user", "parent", "child"], child.Path.Elements);
        Assert.Equal(parent.Path, child.Path.Parent);
        Assert.Equal("ac://paths/deadLetters", system.DeadLetters.Path.ToString());
        Assert.StartsWith("ac://paths/user/$", system.ActorOf(Props.Create<Maker>()).Path.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("$reserved")]
    [InlineData("has space")]
    [InlineData("hash#tag")]
    public async Task Invalid_names_are_rejected(string name)
    {
        await using var system = ActorSystem.Create("bad-names");
        var error = Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create<Maker>(), name));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_taken_by_a_live_sibling_is_rejected()
    {
        await using var system = ActorSystem.Create("duplicates");
        system.ActorOf(Props.Create<Maker>(), "twin");
        var error = Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create<Maker>(), "twin"));
        Assert.Contains("not unique", error.Message, StringComparison.Ordinal);

        var parent = system.ActorOf(Props.Create<Maker>(), "parent");
        await parent.Ask<IActorRef>(new MakeChild("kid"), TestProbe.DefaultTimeout);
        var inner = await Assert.ThrowsAsync<InvalidActorNameException>(() => parent.Ask<IActorRef>(new MakeChild("kid"), TestProbe.DefaultTimeout));
        Assert.Contains("ac://duplicates/user/parent", inner.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_setting_named()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("no spaces"));
        var capacity = Assert.Throws<ArgumentOutOfRangeException>(() => ActorSystem.Create("x", new ActorSystemOptions { DefaultMailboxCapacity = 0 }));
        Assert.Equal(nameof(ActorSystemOptions.DefaultMailboxCapacity), capacity.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Props.Create<Maker>().WithMailboxCapacity(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneForOneStrategy(-2, TimeSpan.FromSeconds(1), _ => Directive.Stop));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneForOneStrategy(1, TimeSpan.Zero, _ => Directive.Stop));
    }

    private sealed class Maker : ReceiveActor
    {
        public Maker() =>
            Receive<MakeChild>(m =>
            {
                try
                {
                    Sender.Tell(Context.ActorOf(Props.Create<Maker>(), m.Name), Self);
                }
                catch (InvalidActorNameException e)
                {
                    Sender.Tell(new Status.Failure(e), Self);
                }
            });
    }
}
