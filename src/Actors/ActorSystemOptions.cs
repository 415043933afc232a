using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Actors;

/// <summary>Settings of an <see cref="ActorSystem"/>; all have working defaults.</summary>
public sealed class ActorSystemOptions
{
    /// <summary>Where failures, dead letters and warnings are logged (category <c>AutoCompress.Actors</c>).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The clock behind timers, Ask timeouts and restart windows; replace it to test time-dependent code deterministically.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Mailbox capacity of actors whose <see cref="Props"/> do not set one.</summary>
    public int DefaultMailboxCapacity { get; init; } = 1000;

    /// <summary>How the user guardian supervises top-level actors. If it escalates, the whole system terminates.</summary>
    public SupervisorStrategy GuardianSupervisorStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;

    /// <summary>How many dead letters are logged before the log goes quiet (they are still counted and published).</summary>
    public int DeadLetterLogLimit { get; init; } = 10;

    /// <summary>
    /// A <see cref="IActorRef.Tell"/> that has waited this long for mailbox room logs a warning (and keeps waiting):
    /// a cycle of actors blocking on each other's full mailboxes would otherwise hang without a word.
    /// </summary>
    public TimeSpan BlockedTellWarning { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(GuardianSupervisorStrategy, nameof(GuardianSupervisorStrategy));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultMailboxCapacity, 1, nameof(DefaultMailboxCapacity));
        ArgumentOutOfRangeException.ThrowIfNegative(DeadLetterLogLimit, nameof(DeadLetterLogLimit));
        if (BlockedTellWarning <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BlockedTellWarning), BlockedTellWarning, "Must be positive.");
    }
}
