namespace AutoCompress.Evaluators.NasBench201;

/// <summary>
/// Finds the folder holding the benchmark tables. The data is shared reference data kept next to the repository
/// (<c>../shared/benchdata</c>), never copied into it, so a deployed plugin has to look for it: an explicit folder
/// wins, then the environment variable <see cref="EnvironmentVariable"/>, then a <c>shared/benchdata</c> folder
/// beside any directory above the plugin's assembly, the application or the working directory.
/// </summary>
public static class Nb201Data
{
    /// <summary>Names the folder holding nb201_cifar10.csv and nb201_latency.csv.</summary>
    public const string EnvironmentVariable = "AUTOCOMPRESS_BENCHDATA";

    /// <summary>
    /// The data folder. An explicit or environment-given folder is returned as given (a missing file in it is reported
    /// when the table is read, naming the file); when walking up finds nothing, a <see cref="DirectoryNotFoundException"/>
    /// says where it looked and how to point at the data.
    /// </summary>
    public static string Locate(string? folder = null)
    {
        if (!string.IsNullOrWhiteSpace(folder)) return Path.GetFullPath(folder);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var starts = new[] { Path.GetDirectoryName(typeof(Nb201Data).Assembly.Location), AppContext.BaseDirectory, Environment.CurrentDirectory }
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => Path.GetFullPath(s!)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var start in starts)
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "benchdata");
                if (File.Exists(Path.Combine(candidate, Nb201Table.AccuracyFileName))) return candidate;
            }
        throw new DirectoryNotFoundException(
            $"NAS-Bench-201 data not found: no shared/benchdata/{Nb201Table.AccuracyFileName} above {string.Join(", ", starts)}; " +
            $"set {EnvironmentVariable} to the folder holding {Nb201Table.AccuracyFileName} and {Nb201Table.LatencyFileName}");
    }
}
