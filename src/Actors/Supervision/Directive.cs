namespace AutoCompress.Actors;

/// <summary>What a supervisor does with a child that threw (Akka.NET's directives).</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; drop the message that failed and carry on with the next one.</summary>
    Resume,

    /// <summary>Replace the actor by a fresh instance from its <see cref="Props"/>; the mailbox is kept, the failed message dropped.</summary>
    Restart,

    /// <summary>Stop the actor (its children first).</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, so that its own supervisor decides.</summary>
    Escalate,
}
