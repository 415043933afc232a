using System.Threading.Channels;

namespace AutoCompress.Actors.Tests;

/// <summary>
/// An actor that hands everything it receives to the test (like Akka.NET's TestProbe). Expectations await the next
/// message; the timeout only turns a hang into a failure, it never synchronises anything.
/// </summary>
internal sealed class TestProbe
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<(object Message, IActorRef Sender)> received = Channel.CreateUnbounded<(object, IActorRef)>();

    public TestProbe(ActorSystem system, string? name = null)
    {
        var writer = received.Writer;
        Ref = system.ActorOf(Props.Create(() => new ProbeActor(writer)), name);
    }

    public IActorRef Ref { get; }

    public IActorRef? LastSender { get; private set; }

    public async Task<T> ExpectMsg<T>(TimeSpan? timeout = null)
    {
        var message = await ReceiveOne(timeout);
        return Assert.IsAssignableFrom<T>(message);
    }

    public async Task<object> ReceiveOne(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            var (message, sender) = await received.Reader.ReadAsync(cts.Token);
            LastSender = sender;
            return message;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Ref.Path} received nothing within {(timeout ?? DefaultTimeout).TotalSeconds} s.");
            throw;
        }
    }

    /// <summary>What has arrived and not been taken yet (for "nothing else arrived" checks after an ordering proof).</summary>
    public List<object> Drain()
    {
        var rest = new List<object>();
        while (received.Reader.TryRead(out var item))
            rest.Add(item.Message);
        return rest;
    }

    private sealed class ProbeActor : ReceiveActor
    {
        public ProbeActor(ChannelWriter<(object, IActorRef)> writer) =>
            ReceiveAny(message => writer.TryWrite((message, Sender)));
    }
}
