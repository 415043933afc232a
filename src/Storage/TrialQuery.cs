using System.Text.RegularExpressions;

namespace AutoCompress.Storage;

/// <summary>How <see cref="ExperimentStore.QueryTrialsAsync"/> orders trials.</summary>
public enum TrialOrder
{
    /// <summary>By sequence number (served by an index; cheap at any depth with <see cref="TrialQuery.AfterSeq"/>).</summary>
    Seq,

    /// <summary>By one metric (trials without it last, ties by sequence number). Sorts the filtered trials.</summary>
    Metric,
}

/// <summary>
/// A page of trials: optional status filter, ordering, and either offset paging or keyset paging by sequence number
/// (<see cref="AfterSeq"/>, which stays cheap a million trials deep where a large offset does not).
/// </summary>
public sealed partial record TrialQuery
{
    /// <summary>Largest page the store returns in one call.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Only trials in these statuses; null or empty = all.</summary>
    public IReadOnlyCollection<TrialStatus>? Statuses { get; init; }

    public TrialOrder OrderBy { get; init; } = TrialOrder.Seq;

    /// <summary>The metric key to order by when <see cref="OrderBy"/> is <see cref="TrialOrder.Metric"/> (snake_case).</summary>
    public string? Metric { get; init; }

    public bool Descending { get; init; }

    /// <summary>Keyset paging for <see cref="TrialOrder.Seq"/>: only trials after this sequence number in the chosen direction.</summary>
    public long? AfterSeq { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;

    internal void Validate()
    {
        if (Limit is < 1 or > MaxLimit) throw new ArgumentException($"trial query: limit must be 1..{MaxLimit}, got {Limit}");
        if (Offset < 0) throw new ArgumentException($"trial query: offset must be >= 0, got {Offset}");
        if (OrderBy == TrialOrder.Metric)
        {
            if (string.IsNullOrEmpty(Metric) || !MetricName().IsMatch(Metric))
                throw new ArgumentException($"trial query: ordering by metric needs a metric name of letters, digits and '_', got '{Metric}'");
            if (AfterSeq is not null) throw new ArgumentException("trial query: AfterSeq (keyset paging) applies to ordering by sequence number only; use Offset");
        }
        else if (Metric is not null)
        {
            throw new ArgumentException($"trial query: metric '{Metric}' given but the order is {OrderBy}; set OrderBy = TrialOrder.Metric");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex MetricName();
}
