namespace AutoCompress.Actors;

/// <summary>
/// An actor with a single <see cref="OnReceive"/> (Akka.NET's UntypedActor): switch on the message yourself and call
/// <see cref="ActorBase.Unhandled"/> for what you do not handle.
/// </summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Processes one message synchronously.</summary>
    protected abstract void OnReceive(object message);

    internal sealed override Task? Dispatch(object message)
    {
        OnReceive(message);
        return null;
    }
}
