using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AutoCompress.Storage.Internal;

/// <summary>
/// Read connections, separate from the writer: in WAL mode each read sees the last commit and neither blocks the
/// writer nor waits for it. Connections are query_only, so a read path can never write.
/// </summary>
internal sealed class ReaderPool(Func<SqliteConnection> open, int size) : IAsyncDisposable
{
    private readonly ConcurrentBag<SqliteConnection> idle = [];
    private readonly SemaphoreSlim slots = new(size, size);
    private volatile bool closed;

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(closed, this);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(closed, this);
            if (!idle.TryTake(out var connection)) connection = open();
            try
            {
                return read(connection);
            }
            finally
            {
                idle.Add(connection);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Waits for running reads to finish, then closes every connection; later reads throw.</summary>
    public async ValueTask DisposeAsync()
    {
        if (closed) return;
        closed = true;
        for (var i = 0; i < size; i++) await slots.WaitAsync().ConfigureAwait(false);
        while (idle.TryTake(out var connection)) connection.Dispose();
        slots.Dispose();
    }
}
