namespace AutoCompress.Actors;

/// <summary>
/// How a parent handles the failures of its children: a decider maps the exception to a <see cref="Directive"/>, and a
/// restart budget turns a child that keeps failing into a stopped one instead of a crash loop. Set it on the parent's
/// <see cref="Props.WithSupervisorStrategy"/> or override <c>SupervisorStrategy()</c> in the parent actor.
/// </summary>
public abstract class SupervisorStrategy
{
    private protected SupervisorStrategy()
    {
    }

    /// <summary>
    /// Akka.NET's default decider: <see cref="ActorInitializationException"/> and <see cref="DeathPactException"/> stop
    /// the child, every other exception restarts it.
    /// </summary>
    public static Directive DefaultDecider(Exception cause) =>
        cause is ActorInitializationException or DeathPactException ? Directive.Stop : Directive.Restart;

    /// <summary>One-for-one with <see cref="DefaultDecider"/> and an unlimited restart budget.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>One-for-one that stops any failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>The directive for a child that threw <paramref name="cause"/>.</summary>
    public abstract Directive Decide(Exception cause);

    /// <summary>Whether the child whose restart history is <paramref name="stats"/> may restart once more at <paramref name="now"/>.</summary>
    internal abstract bool RequestRestartPermission(ChildRestartStats stats, TimeSpan now);

    /// <summary>The budget as text for log messages.</summary>
    internal abstract string DescribeBudget();
}
