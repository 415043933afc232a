namespace AutoCompress.Data;

/// <summary>
/// Thrown when a dataset file exists but its contents are malformed. The message always starts with
/// the file path followed by a description of the problem.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates an exception for <paramref name="filePath"/> describing <paramref name="problem"/>.</summary>
    /// <param name="filePath">The offending file.</param>
    /// <param name="problem">What is wrong with it, e.g. "bad magic number 0x00000801, expected 0x00000803".</param>
    /// <param name="innerException">The low-level error that revealed the problem, if any.</param>
    public DataFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The path of the malformed file.</summary>
    public string FilePath { get; }

    /// <summary>The description of the problem, without the file path.</summary>
    public string Problem { get; }
}
