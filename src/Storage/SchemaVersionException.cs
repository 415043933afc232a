namespace AutoCompress.Storage;

/// <summary>
/// The database was written by a newer AutoCompress (its schema version is above the newest migration this build
/// knows). Opening it anyway could silently misread or damage data, so the store refuses.
/// </summary>
public sealed class SchemaVersionException : StoreException
{
    public SchemaVersionException() { }

    public SchemaVersionException(string message) : base(message) { }

    public SchemaVersionException(string message, Exception innerException) : base(message, innerException) { }

    public SchemaVersionException(string path, int databaseVersion, int supportedVersion)
        : base($"experiment store '{path}' has schema version {databaseVersion}, but this build of AutoCompress supports schema versions up to {supportedVersion}; upgrade AutoCompress to open it")
    {
        DatabaseVersion = databaseVersion;
        SupportedVersion = supportedVersion;
    }

    public int DatabaseVersion { get; }

    public int SupportedVersion { get; }
}
