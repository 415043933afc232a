using System.Globalization;
using System.Text;
using AutoCompress.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AutoCompress.Cli;

/// <summary>
/// The terminal view of <see cref="ProgressDisplay"/>: a table redrawn in place (Spectre.Console's live display) with,
/// per experiment, trials done/running/failed, the best value, the Pareto front's size and the time left, followed by
/// the last few log lines and trial events. Redrawn from the latest state four times a second, so a burst of updates
/// costs nothing; what was last shown stays on screen when it ends.
/// </summary>
internal sealed class LiveProgressDisplay : ProgressDisplay
{
    private const int TailLines = 8;
    private const int BarWidth = 12;
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private readonly Lock gate = new();
    private readonly Queue<string> tail = new();
    private readonly CancellationTokenSource stop = new();
    private readonly IAnsiConsole console;
    private Task? loop;
    private bool started;
    private int disposed;
    private IReadOnlyList<ProgressSnapshot> current = [];

    /// <param name="captureErrors">Show log lines in the display (stderr is the same terminal) instead of writing them to stderr.</param>
    /// <param name="console">Where to draw; the process's console by default.</param>
    public LiveProgressDisplay(bool captureErrors, IAnsiConsole? console = null)
    {
        this.console = console ?? AnsiConsole.Console;
        Log = captureErrors ? new LineWriter(LogLine) : Console.Error;
    }

    public override TextWriter Log { get; }

    /// <summary>Starts drawing at the first state, so that what is printed before (and logged meanwhile) stays plain.</summary>
    public override void Show(IReadOnlyList<ProgressSnapshot> snapshots, bool final = false)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        bool start;
        lock (gate)
        {
            current = snapshots;
            start = !started;
            started = true;
        }
        if (!start) return;
        var task = console.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(RunAsync);
        lock (gate) loop = task;
    }

    private void LogLine(string line)
    {
        bool drawing;
        lock (gate) drawing = started;
        if (drawing) Note(line);
        else Console.Error.WriteLine(line);
    }

    public override void Note(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (gate)
        {
            tail.Enqueue(line);
            while (tail.Count > TailLines) tail.Dequeue();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await stop.CancelAsync().ConfigureAwait(false);
        Task? running;
        lock (gate) running = loop;
        if (running is not null) await running.ConfigureAwait(false);
        stop.Dispose();
        if (Log is LineWriter writer) await writer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(LiveDisplayContext context)
    {
        while (true)
        {
            var last = stop.IsCancellationRequested;
            context.UpdateTarget(Render());
            context.Refresh();
            if (last) return;
            try
            {
                await Task.Delay(Refresh, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // One more drawing of the final state, then stop.
            }
        }
    }

    private Rows Render()
    {
        IReadOnlyList<ProgressSnapshot> snapshots;
        string[] lines;
        lock (gate)
        {
            snapshots = current;
            lines = [.. tail];
        }
        var rows = new List<IRenderable>();
        if (snapshots.Count == 0) rows.Add(new Markup("[grey]starting…[/]"));
        else rows.Add(Table(snapshots));
        rows.AddRange(lines.Select(l => new Markup($"[grey]{Markup.Escape(l)}[/]")));
        return new Rows(rows);
    }

    private static Table Table(IReadOnlyList<ProgressSnapshot> snapshots)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "experiment", "status", "trials done", "running", "failed", "best", "front", "time left" })
            table.AddColumn(new TableColumn(column));
        foreach (var s in snapshots)
        {
            var p = s.Progress;
            var done = p.Completed + p.Failed;
            var filled = p.MaxTrials > 0 ? (int)Math.Clamp(done * BarWidth / p.MaxTrials, 0, BarWidth) : 0;
            var bar = $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/]";
            var best = p.BestValue is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b:G6} [grey](trial {p.BestTrialSeq})[/]") : "-";
            var left = IsLive(p.Status) ? TimeLeftEstimator.Format(s.TimeLeft) : "-";
            table.AddRow(
                Markup.Escape(p.Name), StatusMarkup(p.Status), $"{bar} {done}/{p.MaxTrials}", p.Queued > 0 ? $"{p.Running} [grey]+{p.Queued} queued[/]" : $"{p.Running}",
                p.Failed > 0 ? $"[red]{p.Failed}[/]" : "0", best, s.FrontSize?.ToString(CultureInfo.InvariantCulture) ?? "-", left);
            if (p.Error is { Length: > 0 } error) table.AddRow(new Markup(""), new Markup($"[red]{Markup.Escape(error)}[/]"));
        }
        return table;
    }

    private static string StatusMarkup(ExperimentStatus status) => status switch
    {
        ExperimentStatus.Running or ExperimentStatus.Created => $"[blue]{Status(status)}[/]",
        ExperimentStatus.Completed => $"[green]{Status(status)}[/]",
        ExperimentStatus.Paused => $"[yellow]{Status(status)}[/]",
        _ => $"[red]{Status(status)}[/]",
    };

    /// <summary>A writer that hands each complete line to a callback (the orchestrator's logger writes whole lines).</summary>
    private sealed class LineWriter(Action<string> line) : TextWriter
    {
        private readonly StringBuilder pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                line(pending.ToString().TrimEnd('\r'));
                pending.Clear();
            }
            else
            {
                pending.Append(value);
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "") Write(c);
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }
    }
}
