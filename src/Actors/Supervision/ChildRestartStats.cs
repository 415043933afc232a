namespace AutoCompress.Actors;

/// <summary>A child's restart history, kept by its parent across the child's incarnations.</summary>
internal sealed class ChildRestartStats
{
    public int RetryCount { get; set; }

    public TimeSpan? WindowStart { get; set; }
}
