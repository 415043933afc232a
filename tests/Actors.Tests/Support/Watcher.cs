namespace AutoCompress.Actors.Tests;

/// <summary>Watches a subject from PreStart and forwards its Terminated (and anything else) to a probe.</summary>
internal sealed class Watcher : ReceiveActor
{
    private readonly IActorRef subject;

    public Watcher(IActorRef subject, IActorRef probe)
    {
        this.subject = subject;
        Receive<Get>(_ => Sender.Tell("watching", Self));
        ReceiveAny(message => probe.Tell(message, Sender));
    }

    protected override void PreStart() => Context.Watch(subject);
}
