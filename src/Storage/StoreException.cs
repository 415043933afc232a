namespace AutoCompress.Storage;

/// <summary>
/// The store file cannot be used: it is not a SQLite database, it is corrupt, it cannot be opened, or its schema is
/// newer than this build. The message always names the file.
/// </summary>
public class StoreException : Exception
{
    public StoreException() { }

    public StoreException(string message) : base(message) { }

    public StoreException(string message, Exception innerException) : base(message, innerException) { }
}
