namespace AutoCompress.Actors.Tests;

/// <summary>
/// A parent for supervision tests: creates one child called "child" from the given props in PreStart, watches it,
/// forwards its Terminated to a probe, and hands out the child's reference on <see cref="Get"/>.
/// </summary>
internal sealed class Supervisor : ReceiveActor
{
    private readonly Props childProps;
    private readonly Journal? journal;
    private IActorRef? child;

    public Supervisor(Props childProps, IActorRef probe, Journal? journal = null)
    {
        this.childProps = childProps;
        this.journal = journal;
        Receive<Get>(_ => Sender.Tell(child!, Self));
        Receive<Terminated>(t => probe.Tell(t, Self));
        Receive<Boom>(boom => throw new InvalidOperationException(boom.Why));
    }

    protected override void PreStart()
    {
        journal?.Add("supervisor.PreStart");
        child = Context.Watch(Context.ActorOf(childProps, "child"));
    }

    protected override void PostRestart(Exception reason)
    {
        journal?.Add($"supervisor.PostRestart({reason.Message})");
        base.PostRestart(reason);
    }

    protected override void PostStop() => journal?.Add("supervisor.PostStop");
}
