namespace AutoCompress.Actors;

/// <summary>The user guardian: parent of the top-level actors. It receives no messages of its own.</summary>
internal sealed class GuardianActor : ActorBase
{
    internal override Task? Dispatch(object message)
    {
        InvokeUnhandled(message);
        return null;
    }
}
