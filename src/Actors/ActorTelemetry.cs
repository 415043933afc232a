using System.Diagnostics.Metrics;

namespace AutoCompress.Actors;

/// <summary>
/// The actors' meter (<c>AutoCompress.Actors</c>): failures by directive, restarts, dead letters and live actors, so that
/// a supervisor quietly restarting a crashing child is visible in telemetry and not only in logs.
/// </summary>
internal static class ActorTelemetry
{
    public static readonly Meter Meter = new("AutoCompress.Actors");

    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("autocompress.actors.failures", description: "Actor failures, tagged with the supervisor's directive");

    public static readonly Counter<long> Restarts = Meter.CreateCounter<long>("autocompress.actors.restarts", description: "Actor restarts");

    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("autocompress.actors.dead_letters", description: "Messages that could not be delivered");

    public static readonly UpDownCounter<long> LiveActors = Meter.CreateUpDownCounter<long>("autocompress.actors.live", description: "Actors started and not yet stopped");
}
