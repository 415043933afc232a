// Measures the actor kernel against the raw channel it is built on, in one process:
//   (1) Tell throughput through one actor: a producer thread Tells N small records, timed until the actor has processed
//       all N; baseline: the same producer writing into a bounded Channel<T> (same capacity) drained by one reader loop.
//   (2) The same through a fan-out of 100 actors (the producer Tells round-robin); baseline: 100 channels, 100 readers.
//   (3) Ask round trips per second, sequential and with 16 concurrent callers; baseline: a channel of requests carrying a
//       TaskCompletionSource (RunContinuationsAsynchronously) that one reader completes.
// Both sides use the same producer strategy when the queue is full (spin with TryWrite, then block on WriteAsync), so
// the ratio isolates what the kernel adds. Allocated bytes per message include the 24-byte message record itself.
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using AutoCompress.Actors;

long Arg(string name, long fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var messages = Arg("--messages", 10_000_000);
var fanout = (int)Arg("--fanout", 100);
var asks = Arg("--asks", 200_000);
var capacity = (int)Arg("--capacity", 1000);
var rounds = (int)Arg("--rounds", 3);

Console.WriteLine(FormattableString.Invariant(
    $"actor-bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}, mailbox/channel capacity {capacity}, {rounds} rounds (baseline and actor alternate; medians reported)"));

// Warm-up (JIT tiers, thread pool) with small counts; not reported.
Bench.RawOne(200_000, capacity);
await Bench.ActorOne(200_000, capacity, useAsync: false);
await Bench.ActorOne(200_000, capacity, useAsync: true);
Bench.RawFanOut(200_000, fanout, capacity);
await Bench.ActorFanOut(200_000, fanout, capacity);
await Bench.RawAsk(20_000, 1, capacity);
await Bench.ActorAsk(20_000, 1, capacity);
await Bench.RawAsk(20_000, 16, capacity);
await Bench.ActorAsk(20_000, 16, capacity);

Console.WriteLine();
Console.WriteLine($"{"scenario",-44} {"count",12} {"per second (median)",20} {"min..max",23} {"B/msg",7} {"vs raw",7}");
await Compare("1 reader / 1 actor", messages,
    () => Task.FromResult(Bench.RawOne(messages, capacity)), "raw channel, 1 reader",
    [("actor Tell, 1 actor", () => Bench.ActorOne(messages, capacity, useAsync: false)),
     ("actor TellAsync, 1 actor", () => Bench.ActorOne(messages, capacity, useAsync: true))]);
await Compare("fan-out", messages,
    () => Task.FromResult(Bench.RawFanOut(messages, fanout, capacity)), $"raw channels, {fanout} readers",
    [($"actor Tell, fan-out to {fanout} actors", () => Bench.ActorFanOut(messages, fanout, capacity))]);
await Compare("ask", asks,
    () => Bench.RawAsk(asks, 1, capacity), "raw request/reply, 1 caller",
    [("actor Ask, 1 caller", () => Bench.ActorAsk(asks, 1, capacity))]);
await Compare("ask16", asks,
    () => Bench.RawAsk(asks, 16, capacity), "raw request/reply, 16 callers",
    [("actor Ask, 16 callers", () => Bench.ActorAsk(asks, 16, capacity))]);

async Task Compare(string group, long count, Func<Task<Measurement>> baseline, string baselineName, (string Name, Func<Task<Measurement>> Run)[] candidates)
{
    var raw = new List<Measurement>();
    var results = candidates.Select(_ => new List<Measurement>()).ToArray();
    for (var r = 0; r < rounds; r++)
    {
        raw.Add(await baseline());
        for (var c = 0; c < candidates.Length; c++)
            results[c].Add(await candidates[c].Run());
    }
    var rawMedian = Median(raw);
    Report(baselineName + " (baseline)", count, raw, null);
    for (var c = 0; c < candidates.Length; c++)
        Report(candidates[c].Name, count, results[c], rawMedian);
}

static double Median(List<Measurement> ms)
{
    var sorted = ms.Select(m => m.PerSecond).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static void Report(string name, long count, List<Measurement> ms, double? baseline)
{
    var median = Median(ms);
    var ratio = baseline is null ? "" : (median / baseline.Value).ToString("0.00", CultureInfo.InvariantCulture);
    var range = FormattableString.Invariant($"{ms.Min(m => m.PerSecond),11:N0}..{ms.Max(m => m.PerSecond),-11:N0}");
    var bytes = ms.Average(m => m.BytesPerMessage);
    Console.WriteLine(FormattableString.Invariant($"{name,-44} {count,12:N0} {median,20:N0} {range,23} {bytes,7:0.0} {ratio,7}"));
}

internal sealed record Measurement(long Count, double Seconds, long AllocatedBytes)
{
    public double PerSecond => Count / Seconds;

    public double BytesPerMessage => (double)AllocatedBytes / Count;
}

internal sealed record Msg(int Value);

internal sealed record Req(int Value);

internal sealed record Resp(int Value);

internal static class Bench
{
    private const int SpinsBeforeBlocking = 64;

    public static Measurement RawOne(long n, int capacity)
    {
        var channel = NewChannel<Msg>(capacity);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Consume(channel.Reader, n, done);
        return Time(n, () =>
        {
            RunProducer(n, i => Write(channel.Writer, new Msg((int)i)));
            done.Task.Wait();
        });
    }

    public static async Task<Measurement> ActorOne(long n, int capacity, bool useAsync)
    {
        await using var system = ActorSystem.Create("bench");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.ActorOf(Props.Create(() => new CountingActor(n, done)).WithMailboxCapacity(capacity));
        return Time(n, () =>
        {
            if (useAsync)
            {
                Task.Run(async () =>
                {
                    for (long i = 0; i < n; i++)
                        await actor.TellAsync(new Msg((int)i), null);
                }).Wait();
            }
            else
            {
                RunProducer(n, i => actor.Tell(new Msg((int)i), null));
            }
            done.Task.Wait();
        });
    }

    public static Measurement RawFanOut(long n, int readers, int capacity)
    {
        var channels = Enumerable.Range(0, readers).Select(_ => NewChannel<Msg>(capacity)).ToArray();
        var remaining = readers;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var (channel, share) in channels.Select((c, r) => (c, Share(n, readers, r))))
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.Task.ContinueWith(_ => { if (Interlocked.Decrement(ref remaining) == 0) all.SetResult(); }, TaskScheduler.Default);
            _ = Consume(channel.Reader, share, done);
        }
        return Time(n, () =>
        {
            RunProducer(n, i => Write(channels[i % readers].Writer, new Msg((int)i)));
            all.Task.Wait();
        });
    }

    public static async Task<Measurement> ActorFanOut(long n, int actors, int capacity)
    {
        await using var system = ActorSystem.Create("bench-fanout");
        var remaining = actors;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refs = Enumerable.Range(0, actors).Select(r =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.Task.ContinueWith(_ => { if (Interlocked.Decrement(ref remaining) == 0) all.SetResult(); }, TaskScheduler.Default);
            return system.ActorOf(Props.Create(() => new CountingActor(Share(n, actors, r), done)).WithMailboxCapacity(capacity));
        }).ToArray();
        return Time(n, () =>
        {
            RunProducer(n, i => refs[i % actors].Tell(new Msg((int)i), null));
            all.Task.Wait();
        });
    }

    public static async Task<Measurement> RawAsk(long n, int callers, int capacity)
    {
        var channel = NewChannel<(Req, TaskCompletionSource<Resp>)>(capacity);
        _ = Task.Run(async () =>
        {
            var reader = channel.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                    item.Item2.TrySetResult(new Resp(item.Item1.Value));
            }
        });
        var m = await TimeAsync(n, () => Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            for (long i = 0; i < Share(n, callers, c); i++)
            {
                var reply = new TaskCompletionSource<Resp>(TaskCreationOptions.RunContinuationsAsynchronously);
                await channel.Writer.WriteAsync((new Req((int)i), reply));
                await reply.Task;
            }
        }))));
        channel.Writer.Complete();
        return m;
    }

    public static async Task<Measurement> ActorAsk(long n, int callers, int capacity)
    {
        await using var system = ActorSystem.Create("bench-ask");
        var actor = system.ActorOf(Props.Create(() => new Replier()).WithMailboxCapacity(capacity));
        var timeout = TimeSpan.FromSeconds(30);
        return await TimeAsync(n, () => Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            for (long i = 0; i < Share(n, callers, c); i++)
                await actor.Ask<Resp>(new Req((int)i), timeout);
        }))));
    }

    private static long Share(long n, int parts, int part) => n / parts + (part < n % parts ? 1 : 0);

    private static Channel<T> NewChannel<T>(int capacity) => Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    // The same full-mailbox strategy as the actor's Tell: retry TryWrite while spinning, then block.
    private static void Write<T>(ChannelWriter<T> writer, T item)
    {
        if (writer.TryWrite(item))
            return;
        var spinner = default(SpinWait);
        for (var i = 0; i < SpinsBeforeBlocking; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (writer.TryWrite(item))
                return;
        }
        writer.WriteAsync(item).AsTask().Wait();
    }

    private static async Task Consume(ChannelReader<Msg> reader, long n, TaskCompletionSource done)
    {
        long count = 0, sum = 0;
        while (true)
        {
            while (reader.TryRead(out var m))
            {
                sum += m.Value;
                if (++count == n)
                {
                    GC.KeepAlive(sum);
                    done.SetResult();
                    return;
                }
            }
            await reader.WaitToReadAsync();
        }
    }

    private static void RunProducer(long n, Action<long> send)
    {
        var producer = new Thread(() =>
        {
            for (long i = 0; i < n; i++)
                send(i);
        });
        producer.Start();
        producer.Join();
    }

    private static Measurement Time(long n, Action run)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        run();
        clock.Stop();
        return new Measurement(n, clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static async Task<Measurement> TimeAsync(long n, Func<Task> run)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        return new Measurement(n, clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}

internal sealed class CountingActor : ReceiveActor
{
    public CountingActor(long expected, TaskCompletionSource done)
    {
        long count = 0, sum = 0;
        Receive<Msg>(m =>
        {
            sum += m.Value;
            if (++count == expected)
            {
                GC.KeepAlive(sum);
                done.SetResult();
            }
        });
    }
}

internal sealed class Replier : ReceiveActor
{
    public Replier() => Receive<Req>(r => Sender.Tell(new Resp(r.Value), Self));
}
