namespace AutoCompress.Actors.Tests;

/// <summary>
/// A counter that journals its lifecycle (with its incarnation number) and every message it receives; throws on
/// <see cref="Boom"/>, replies its count to <see cref="Get"/>, and waits at a gate on <see cref="Hold"/>.
/// </summary>
internal sealed class CountingActor : ReceiveActor
{
    private static int incarnations;
    private readonly Journal journal;
    private readonly string name;
    private int count;

    public CountingActor(Journal journal, string name = "counter")
    {
        this.journal = journal;
        this.name = name;
        Incarnation = Interlocked.Increment(ref incarnations);
        journal.Add($"{name}.ctor");
        ReceiveAsync<Hold>(async hold =>
        {
            journal.Add($"{name}.hold");
            await hold.Gate.PassAsync();
        });
        Receive<Inc>(_ =>
        {
            journal.Add($"{name}.inc");
            count++;
        });
        Receive<Get>(_ => Sender.Tell(count, Self));
        Receive<Boom>(boom =>
        {
            journal.Add($"{name}.boom");
            throw new InvalidOperationException(boom.Why);
        });
    }

    public int Incarnation { get; }

    protected override void PreStart() => journal.Add($"{name}.PreStart");

    protected override void PostStop() => journal.Add($"{name}.PostStop");

    protected override void PreRestart(Exception reason, object? message)
    {
        journal.Add($"{name}.PreRestart({reason.Message},{message?.GetType().Name ?? "null"})");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        journal.Add($"{name}.PostRestart({reason.Message})");
        base.PostRestart(reason);
    }
}
