using AutoCompress.Contracts.Evaluation;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// Everything the pool knows about how one trial went, precise enough for a scheduler to decide on a
/// retry and for a user to see why it failed: the status, the result or error, and, for a crash, how the
/// worker died and the last lines it wrote to stderr.
/// </summary>
public sealed record TrialOutcome
{
    public required long TrialId { get; init; }
    public required TrialStatus Status { get; init; }
    /// <summary>The evaluator's result when <see cref="Status"/> is <see cref="TrialStatus.Completed"/>.</summary>
    public EvaluationResult? Result { get; init; }
    /// <summary>What went wrong, readable on its own (exception message, exit code and signal, time limit, ...).</summary>
    public string? Error { get; init; }
    /// <summary>The full name of the exception type when the evaluator threw.</summary>
    public string? ExceptionType { get; init; }
    /// <summary>The exception with its stack trace, when the evaluator threw.</summary>
    public string? ErrorDetail { get; init; }
    /// <summary>The worker's exit code when it exited during the trial (128 + n when killed by signal n on Unix).</summary>
    public int? ExitCode { get; init; }
    /// <summary>The signal that killed the worker, e.g. "SIGSEGV", when its exit code says so.</summary>
    public string? Signal { get; init; }
    /// <summary>The worker's last stderr lines when it crashed or was killed.</summary>
    public IReadOnlyList<string> StderrTail { get; init; } = [];
    /// <summary>The pool's number for the worker process that ran the trial; null when it ran in-process or never ran.</summary>
    public int? WorkerId { get; init; }
    /// <summary>The operating-system process id of that worker.</summary>
    public int? WorkerPid { get; init; }
    /// <summary>True when the evaluator ran inside the orchestrator (it needs no isolation).</summary>
    public bool InProcess { get; init; }
    /// <summary>From handing the trial to the evaluator to its outcome (waiting for a slot and starting a worker excluded).</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>How long the trial waited for a free slot (and for its worker to start).</summary>
    public TimeSpan Waited { get; init; }
    /// <summary>The trial's log lines, in order (capped by <see cref="WorkerPoolOptions.MaxLogLines"/>).</summary>
    public IReadOnlyList<string> Log { get; init; } = [];
}
