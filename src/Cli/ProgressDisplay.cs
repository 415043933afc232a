using System.Globalization;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Storage;

namespace AutoCompress.Cli;

/// <summary>Where one experiment stands, as the progress display shows it.</summary>
/// <param name="Progress">Counts, status and best value.</param>
/// <param name="FrontSize">How many completed trials are on the Pareto front, when known.</param>
/// <param name="TimeLeft">The estimate from the rate so far, when known.</param>
internal sealed record ProgressSnapshot(ExperimentProgress Progress, int? FrontSize, TimeSpan? TimeLeft);

/// <summary>
/// Shows experiments' progress while they run: a live table redrawn in place when stdout is a terminal (see
/// <see cref="LiveProgressDisplay"/>), otherwise one plain line per change, which is what a log file or a CI job
/// wants. `experiment run` and `remote watch` share it, so the local and the remote view look the same.
/// </summary>
internal abstract class ProgressDisplay : IAsyncDisposable
{
    /// <summary>The live table on a terminal, plain lines otherwise (or when AUTOCOMPRESS_PLAIN is set).</summary>
    public static ProgressDisplay Create()
    {
        var terminal = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AUTOCOMPRESS_PLAIN"));
        return terminal ? new LiveProgressDisplay(captureErrors: !Console.IsErrorRedirected) : new PlainProgressDisplay();
    }

    /// <summary>
    /// Where log lines should go while the display runs: stderr, or (when the live table owns the terminal) the
    /// display's own tail of recent lines, so that they do not tear the table apart.
    /// </summary>
    public abstract TextWriter Log { get; }

    /// <summary>Shows the latest state; <paramref name="final"/> marks the last one (plain output then always prints it).</summary>
    public abstract void Show(IReadOnlyList<ProgressSnapshot> snapshots, bool final = false);

    /// <summary>A one-line event worth showing (a trial that ended).</summary>
    public abstract void Note(string line);

    public abstract ValueTask DisposeAsync();

    /// <summary>"name [status] trials 12/50 done (1 failed), 4 running, ...; best 0.91 (trial 7)".</summary>
    public static string Line(ExperimentProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var best = p.BestValue is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b:G6} (trial {p.BestTrialSeq})") : "-";
        var error = p.Error is null ? "" : $"; error: {p.Error}";
        return $"{p.Name} [{Status(p.Status)}] trials {p.Completed + p.Failed}/{p.MaxTrials} done ({p.Failed} failed), " +
               $"{p.Running} running, {p.Queued} queued, {p.Retries} retried; best {best}{error}";
    }

    /// <summary><see cref="Line(ExperimentProgress)"/> plus the front size and the time left.</summary>
    public static string Line(ProgressSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var front = s.FrontSize is { } f ? $"; front {f}" : "";
        var left = IsLive(s.Progress.Status) ? $"; time left {TimeLeftEstimator.Format(s.TimeLeft)}" : "";
        return Line(s.Progress) + front + left;
    }

    public static string Status(ExperimentStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Still producing trials (or about to).</summary>
    public static bool IsLive(ExperimentStatus status) => status is ExperimentStatus.Running or ExperimentStatus.Created;
}

/// <summary>One line per experiment whenever something but the time estimate changed.</summary>
internal sealed class PlainProgressDisplay : ProgressDisplay
{
    private readonly Dictionary<Guid, string> last = [];

    public override TextWriter Log => Console.Error;

    public override void Show(IReadOnlyList<ProgressSnapshot> snapshots, bool final = false)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        foreach (var s in snapshots)
        {
            var key = Line(s with { TimeLeft = null });
            if (!final && last.TryGetValue(s.Progress.ExperimentId, out var previous) && previous == key) continue;
            last[s.Progress.ExperimentId] = key;
            Console.WriteLine(Line(s));
        }
    }

    public override void Note(string line) => Console.WriteLine(line);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
