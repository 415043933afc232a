namespace AutoCompress.Storage;

/// <summary>An artifact row: the file description plus the ids that tie it to its trial.</summary>
/// <param name="Id">Artifact id.</param>
/// <param name="TrialId">The trial that produced it.</param>
/// <param name="Info">Kind, path, size and hash.</param>
/// <param name="CreatedAt">When it was recorded (with the trial's completion).</param>
public sealed record StoredArtifact(long Id, long TrialId, ArtifactInfo Info, DateTimeOffset CreatedAt);
