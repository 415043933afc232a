using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Actors;

/// <summary>
/// The runtime of one actor: its bounded mailbox, its system-message queue, the loop that drains them, the current
/// instance and everything that survives a restart (children, watches, restart statistics, the mailbox itself).
/// Split by concern: the mailbox (<c>ActorCell.Mailbox.cs</c>), the loop, children, supervision, death watch and
/// termination each have their own file.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    // The cell whose constructor call is in progress on this thread (read by ActorBase's constructor; construction is
    // synchronous, so a thread-static is exact).
    [ThreadStatic]
    private static ActorCell? creating;

    private ActorBase? actor;
    private CellState state = CellState.Suspended;
    private IActorRef? currentSender;
    private TimerScheduler? timers;
    private ILogger? actorLogger;
    private Task? loop;

    public ActorCell(ActorSystem system, ActorCell? parent, Props props, ActorPath path)
    {
        System = system;
        Parent = parent;
        Props = props;
        Path = path;
        capacity = props.MailboxCapacity ?? system.Options.DefaultMailboxCapacity;
        mailbox = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        systemMailbox = Channel.CreateUnbounded<SystemMessage>(new UnboundedChannelOptions { SingleReader = true });
        Self = new LocalActorRef(this);
    }

    private enum CellState
    {
        /// <summary>Processing user messages.</summary>
        Running,

        /// <summary>Not processing user messages: not created yet, failed and waiting for a directive, or restarting.</summary>
        Suspended,

        /// <summary>Waiting for the children to stop before PostStop.</summary>
        Terminating,

        /// <summary>Stopped; the loop has ended.</summary>
        Terminated,
    }

    internal static ActorCell? CurrentlyCreating => creating;

    /// <summary>The loop; it ends once the actor has stopped (it never faults: failures go to the supervisor).</summary>
    internal Task? Loop => loop;

    public ActorSystem System { get; }

    public LocalActorRef Self { get; }

    public ActorCell? Parent { get; }

    public Props Props { get; }

    public ActorPath Path { get; }

    public IActorRef Sender => currentSender ?? System.DeadLetters;

    public ITimerScheduler Timers => timers ??= new TimerScheduler(this, System.TimeProvider);

    IActorRef IActorContext.Self => Self;

    IActorRef IActorContext.Parent => Parent?.Self ?? System.DeadLetters;

    private ILogger Logger => System.Logger;

    public ILogger GetLogger() => actorLogger ??= System.LoggerFactory.CreateLogger(Props.ActorType);

    /// <summary>Starts the loop on the thread pool; the actor is constructed there, before any message.</summary>
    public void Start()
    {
        ActorTelemetry.LiveActors.Add(1);
        loop = Task.Run(RunAsync);
    }

    public override string ToString() => Path.ToString();

    internal void PublishUnhandled(object message)
    {
        LogUnhandled(Logger, message.GetType(), Path);
        System.EventStream.Publish(new UnhandledMessage(message, currentSender, Self));
    }
}
