using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Actors;

/// <summary>
/// A named tree of actors under a user guardian. <see cref="ActorOf"/> creates top-level actors; <see cref="Terminate"/>
/// (or <see cref="DisposeAsync"/>) shuts the whole tree down gracefully: every actor's children stop before it does,
/// PostStop hooks run, messages left in mailboxes become dead letters, and <see cref="WhenTerminated"/> completes.
/// </summary>
public sealed partial class ActorSystem : IAsyncDisposable
{
    private readonly ActorCell guardian;
    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorPath rootPath;
    private long tempIds;
    private long deadLetterCount;

    private ActorSystem(string name, ActorSystemOptions options)
    {
        Name = name;
        Options = options;
        LoggerFactory = options.LoggerFactory;
        Logger = options.LoggerFactory.CreateLogger("AutoCompress.Actors");
        TimeProvider = options.TimeProvider;
        rootPath = ActorPath.Root(name);
        TempPath = rootPath.Child("temp");
        DeadLetters = new DeadLetterActorRef(this, rootPath.Child("deadLetters"));
        var guardianProps = Props.Create(static () => new GuardianActor()).WithSupervisorStrategy(options.GuardianSupervisorStrategy);
        guardian = new ActorCell(this, null, guardianProps, rootPath.Child("user"));
        guardian.Start();
    }

    /// <summary>The system's name (the first element of every path).</summary>
    public string Name { get; }

    /// <summary>
    /// Where undeliverable messages go; telling it a message records a dead letter. Also the <c>Sender</c> of messages
    /// sent without one.
    /// </summary>
    public IActorRef DeadLetters { get; }

    /// <summary>How many messages have become dead letters so far.</summary>
    public long DeadLetterCount => Interlocked.Read(ref deadLetterCount);

    /// <summary>System-wide publish/subscribe (dead letters, unhandled messages, your own events).</summary>
    public EventStream EventStream { get; } = new();

    /// <summary>Completes when the user guardian (and with it every actor) has stopped.</summary>
    public Task WhenTerminated => terminated.Task;

    internal ActorSystemOptions Options { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider { get; }

    internal ActorPath TempPath { get; }

    /// <summary>Creates a system; <paramref name="name"/> may contain letters, digits, '-' and '_'.</summary>
    public static ActorSystem Create(string name, ActorSystemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SystemName().IsMatch(name))
            throw new ArgumentException($"Invalid actor system name '{name}': use letters, digits, '-' and '_' (starting with a letter or digit).", nameof(name));
        options ??= new ActorSystemOptions();
        options.Validate();
        return new ActorSystem(name, options);
    }

    /// <summary>Creates and starts a top-level actor under the user guardian (see <see cref="IActorContext.ActorOf"/>).</summary>
    /// <exception cref="InvalidOperationException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => guardian.ActorOf(props, name);

    /// <summary>Stops <paramref name="actor"/> (see <see cref="IActorContext.Stop"/>).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not LocalActorRef local || local.System != this)
            throw new ArgumentException($"{actor} is not an actor of actor system {Name}.", nameof(actor));
        local.Cell.SendSystem(SysTerminate.Instance);
    }

    /// <summary>Starts a graceful shutdown of every actor and returns <see cref="WhenTerminated"/>. Idempotent.</summary>
    public Task Terminate()
    {
        guardian.SendSystem(SysTerminate.Instance);
        return WhenTerminated;
    }

    /// <summary>Terminates the system and waits until it has.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    public override string ToString() => rootPath.ToString();

    internal long NextTempId() => Interlocked.Increment(ref tempIds);

    /// <summary>Counts, logs (the first few) and publishes a message that could not be delivered.</summary>
    internal void RecordDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (message is WakeSignal)
            return;
        var count = Interlocked.Increment(ref deadLetterCount);
        ActorTelemetry.DeadLetters.Add(1);
        var limit = Options.DeadLetterLogLimit;
        if (count <= limit)
        {
            LogDeadLetter(Logger, message.GetType(), (object?)sender?.Path ?? "no sender", recipient.Path, count);
            if (count == limit)
                LogDeadLettersQuiet(Logger, limit);
        }
        // A dead letter about an event-stream delivery must not be published again (a stopped subscriber would loop).
        if (message is not DeadLetter and not UnhandledMessage)
            EventStream.Publish(new DeadLetter(message, sender, recipient));
    }

    internal void OnGuardianTerminated() => terminated.TrySetResult();

    internal void OnGuardianFailed(Exception cause)
    {
        LogGuardianFailed(Logger, cause, Name);
        guardian.SendSystem(SysTerminate.Instance);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex SystemName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead letter #{Count}: {MessageType} from {Sender} to {Recipient} was not delivered")]
    private static partial void LogDeadLetter(ILogger logger, Type messageType, object sender, ActorPath recipient, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Limit} dead letters logged; further ones are only counted and published on the event stream")]
    private static partial void LogDeadLettersQuiet(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The user guardian of actor system {System} escalated a failure; terminating the system")]
    private static partial void LogGuardianFailed(ILogger logger, Exception cause, string system);
}
