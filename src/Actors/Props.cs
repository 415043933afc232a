namespace AutoCompress.Actors;

/// <summary>
/// The recipe for an actor: a factory that makes a fresh instance (called again on every restart, which is why it is a
/// factory and not an instance), the mailbox capacity, and the strategy the actor applies to its own children.
/// Immutable; the <c>With...</c> methods return copies.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> factory;

    private Props(Type actorType, Func<ActorBase> factory, int? mailboxCapacity, SupervisorStrategy? supervisorStrategy)
    {
        ActorType = actorType;
        this.factory = factory;
        MailboxCapacity = mailboxCapacity;
        SupervisorStrategy = supervisorStrategy;
    }

    /// <summary>The actor class.</summary>
    public Type ActorType { get; }

    /// <summary>The bounded mailbox capacity; null for <see cref="ActorSystemOptions.DefaultMailboxCapacity"/>.</summary>
    public int? MailboxCapacity { get; }

    /// <summary>The strategy for this actor's children; null for the actor's own <c>SupervisorStrategy()</c>.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Props whose factory is <paramref name="factory"/>, e.g. <c>Props.Create(() => new Worker(queue))</c>.</summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null);
    }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>()
        where TActor : ActorBase, new() => Create(static () => new TActor());

    /// <summary>A copy with a mailbox of <paramref name="capacity"/> messages (at least 1).</summary>
    public Props WithMailboxCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new Props(ActorType, factory, capacity, SupervisorStrategy);
    }

    /// <summary>A copy whose actor supervises its children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, factory, MailboxCapacity, strategy);
    }

    internal ActorBase NewActor() => factory();
}
