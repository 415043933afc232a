namespace AutoCompress.Cli.Remote;

/// <summary>
/// A remote call that did not work, with a message written for the user (server down, token refused, unknown
/// experiment, a spec the server refused and the field at fault). The commands print it as one "error:" line and exit
/// with 1: a client's failure is never worth a stack trace.
/// </summary>
public sealed class RemoteException : Exception
{
    public RemoteException()
    {
    }

    public RemoteException(string message) : base(message)
    {
    }

    public RemoteException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The HTTP status the server answered, or null when there was no answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The field the server named as wrong (400 on a bad spec or query), if any.</summary>
    public string? Field { get; init; }
}
