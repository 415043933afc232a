using AutoCompress.Orchestrator.Workers;
using AutoCompress.Search.Strategies;
using AutoCompress.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Orchestrator.Experiments;

/// <summary>Settings of an <see cref="ExperimentService"/>.</summary>
public sealed record ExperimentServiceOptions
{
    /// <summary>The SQLite experiment database (created when missing).</summary>
    public required string DatabasePath { get; init; }

    /// <summary>Where trials write their files (one folder per experiment and trial).</summary>
    public required string WorkRoot { get; init; }

    /// <summary>The worker processes that run isolated evaluators (their slot count is the isolated concurrency).</summary>
    public required WorkerPoolOptions Workers { get; init; }

    /// <summary>How many trials of evaluators that need no isolation run at once, in-process.</summary>
    public int InProcessSlots { get; init; } = 16;

    /// <summary>The strategies experiments may name; null for the built-in ones.</summary>
    public StrategyCatalog? Strategies { get; init; }

    /// <summary>When set, a spec naming an evaluator for which this returns false is refused at creation.</summary>
    public Func<string, bool>? EvaluatorKnown { get; init; }

    public ExperimentStoreOptions? Store { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DatabasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkRoot);
        ArgumentNullException.ThrowIfNull(Workers);
        if (InProcessSlots < 1) throw new ArgumentException($"experiment service: in-process slots must be at least 1, got {InProcessSlots}");
    }
}
