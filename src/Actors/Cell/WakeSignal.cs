namespace AutoCompress.Actors;

/// <summary>
/// Written into an idle actor's mailbox after a system message, only to wake its loop (which waits on the mailbox);
/// skipped on delivery and never counted as a dead letter.
/// </summary>
internal sealed class WakeSignal
{
    public static readonly WakeSignal Instance = new();

    private WakeSignal()
    {
    }
}
