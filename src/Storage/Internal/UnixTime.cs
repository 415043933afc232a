namespace AutoCompress.Storage.Internal;

/// <summary>Times are stored as Unix milliseconds (UTC): compact, sortable, and exact to read back.</summary>
internal static class UnixTime
{
    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
