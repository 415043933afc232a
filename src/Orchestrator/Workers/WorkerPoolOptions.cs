namespace AutoCompress.Orchestrator.Workers;

/// <summary>Settings of a <see cref="WorkerPool"/>.</summary>
public sealed record WorkerPoolOptions
{
    /// <summary>How many trials run at once, each in its own worker process.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>How to start a worker (see <see cref="WorkerStartInfo.Dotnet"/>).</summary>
    public required WorkerStartInfo Worker { get; init; }

    /// <summary>Plugin directories every worker loads (and the pool itself, for in-process evaluators).</summary>
    public IReadOnlyList<string> PluginDirectories { get; init; } = [];

    /// <summary>The time limit of a trial that does not give its own.</summary>
    public TimeSpan DefaultTimeLimit { get; init; } = TimeSpan.FromHours(1);

    /// <summary>After a Cancel (time limit, caller), how long the evaluator has to stop before its worker is killed.</summary>
    public TimeSpan CancelGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new worker has to load its plugins and say Ready.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// After a worker fails to start, its slot waits this long before trying again, doubling with each
    /// failure in a row up to <see cref="MaxRestartBackoff"/>; trials given the slot meanwhile fail as
    /// <see cref="TrialStatus.WorkerUnavailable"/> with the last start error.
    /// </summary>
    public TimeSpan RestartBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How many of a worker's last stderr lines are kept for crash reports.</summary>
    public int StderrTailLines { get; init; } = 50;

    /// <summary>How many log lines a trial's outcome keeps (later ones are counted, not kept).</summary>
    public int MaxLogLines { get; init; } = 10_000;

    /// <summary>
    /// Whether the pool loads the plugins itself to run evaluators that declare
    /// <c>RequiresIsolation == false</c> in-process. Loading runs plugin constructors in this process.
    /// </summary>
    public bool InProcessEvaluators { get; init; } = true;

    /// <summary>Extra environment variables for worker processes (e.g. OMP_NUM_THREADS).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"WorkerPoolOptions.{name} = {value}: {rule}", name);
        }
        Check(Slots >= 1, nameof(Slots), Slots, "must be at least 1");
        Check(Worker is not null && !string.IsNullOrWhiteSpace(Worker.FileName), nameof(Worker), Worker?.ToString() ?? "null", "needs an executable");
        Check(PluginDirectories is not null, nameof(PluginDirectories), "null", "must be a list");
        Check(DefaultTimeLimit > TimeSpan.Zero, nameof(DefaultTimeLimit), DefaultTimeLimit, "must be positive");
        Check(CancelGrace >= TimeSpan.Zero, nameof(CancelGrace), CancelGrace, "must not be negative");
        Check(StartTimeout > TimeSpan.Zero, nameof(StartTimeout), StartTimeout, "must be positive");
        Check(RestartBackoff > TimeSpan.Zero, nameof(RestartBackoff), RestartBackoff, "must be positive");
        Check(MaxRestartBackoff >= RestartBackoff, nameof(MaxRestartBackoff), MaxRestartBackoff, "must be at least RestartBackoff");
        Check(StderrTailLines >= 0, nameof(StderrTailLines), StderrTailLines, "must not be negative");
        Check(MaxLogLines >= 0, nameof(MaxLogLines), MaxLogLines, "must not be negative");
    }
}
