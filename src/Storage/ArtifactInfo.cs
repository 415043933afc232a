using System.Security.Cryptography;

namespace AutoCompress.Storage;

/// <summary>
/// A file a trial produced. The store records where it is, how big it is and its SHA-256, never the bytes: weights can
/// be large, and keeping them out of the database keeps commits small. The size and hash let a resumed search tell an
/// intact artifact from one truncated by a crash.
/// </summary>
/// <param name="Kind">What the file is ("weights", "description", "log", ...).</param>
/// <param name="Path">Where the file is on disk.</param>
/// <param name="Bytes">File size.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the contents (64 characters).</param>
public sealed record ArtifactInfo(string Kind, string Path, long Bytes, string Sha256)
{
    /// <summary>Describes an existing file: reads it once to measure its size and hash.</summary>
    public static async Task<ArtifactInfo> FromFileAsync(string kind, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return new ArtifactInfo(kind, System.IO.Path.GetFullPath(path), stream.Length, Convert.ToHexStringLower(hash));
        }
    }

    internal void Validate(string what)
    {
        if (string.IsNullOrWhiteSpace(Kind)) throw new ArgumentException($"{what}: artifact kind is empty");
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException($"{what}: artifact path is empty");
        if (Bytes < 0) throw new ArgumentException($"{what}: artifact '{Path}' has a negative size ({Bytes})");
        if (Sha256 is null || Sha256.Length != 64 || !Sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"{what}: artifact '{Path}' needs a lower-case hex SHA-256 (64 characters), got '{Sha256}'");
    }
}
