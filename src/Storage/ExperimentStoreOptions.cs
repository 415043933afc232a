using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Storage;

/// <summary>Tuning and policy for an <see cref="ExperimentStore"/>; the defaults suit a search service.</summary>
public sealed record ExperimentStoreOptions
{
    public StoreDurability Durability { get; init; } = StoreDurability.Normal;

    /// <summary>How long a statement waits for a lock held by another connection or process before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checkpoints kept per experiment; older ones are deleted when a new one is saved.</summary>
    public int CheckpointsToKeep { get; init; } = 3;

    /// <summary>
    /// Most write operations committed in one transaction (group commit). 1 turns group commit off: one transaction per
    /// operation (the benchmark's baseline).
    /// </summary>
    public int MaxBatchOperations { get; init; } = 1024;

    /// <summary>Read connections (WAL lets them read while the writer commits).</summary>
    public int ReaderConnections { get; init; } = 4;

    /// <summary>Page cache per connection, in KiB.</summary>
    public int CacheSizeKiB { get; init; } = 64 * 1024;

    /// <summary>Clock for created/started/ended times (tests substitute one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal void Validate()
    {
        if (!Enum.IsDefined(Durability)) throw new ArgumentException($"store options: unknown durability {Durability}");
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromHours(1)) throw new ArgumentException($"store options: busy timeout must be 0..1 h, got {BusyTimeout}");
        if (CheckpointsToKeep < 1) throw new ArgumentException($"store options: at least one checkpoint must be kept, got {CheckpointsToKeep}");
        if (MaxBatchOperations < 1) throw new ArgumentException($"store options: max batch operations must be >= 1, got {MaxBatchOperations}");
        if (ReaderConnections < 1) throw new ArgumentException($"store options: at least one reader connection is needed, got {ReaderConnections}");
        if (CacheSizeKiB < 64) throw new ArgumentException($"store options: cache size must be >= 64 KiB, got {CacheSizeKiB}");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }
}
