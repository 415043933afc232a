namespace AutoCompress.Storage;

/// <summary>
/// What a commit survives. Both keep the WAL journal, so a process crash (including kill -9) never loses an
/// acknowledged commit: the commit is in the WAL file, which the operating system holds even after the process is gone.
/// </summary>
public enum StoreDurability
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>: commits are not fsynced, only WAL checkpoints are. Survives process crashes; a power
    /// loss or kernel crash may lose the last commits (the database stays consistent). Much faster.
    /// </summary>
    Normal,

    /// <summary><c>synchronous=FULL</c>: every commit is fsynced, so it also survives power loss. Group commit matters most here.</summary>
    Full,
}
